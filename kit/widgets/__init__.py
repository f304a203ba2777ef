"""The exercise widgets: thin ipywidgets views over the pure logic modules."""
