"""The served pages' settings: the journey file, the Voila config files, the serve command."""

from __future__ import annotations

import pytest

from kit import serve
from kit._resources import jupyter_data_dir, notebooks_dir, voila_config_dir
from kit.pages import journey


def test_every_step_names_a_notebook_that_ships():
    steps = journey.load_steps()
    assert [s.notebook for s in steps] == sorted(s.notebook for s in steps)
    shipped = {p.stem for p in notebooks_dir().glob("0*.ipynb")}
    assert {s.notebook for s in steps} == shipped
    assert all(s.minutes > 0 for s in steps)


def test_pages_are_the_steps_marked_as_pages_in_order(tmp_path):
    folder = serve.page_folder(tmp_path / "pages")
    names = sorted(p.stem for p in folder.glob("*.ipynb"))
    assert names == [s.notebook for s in journey.page_steps()]
    assert names[0] == "00-welcome"  # the one entry link opens the welcome


def test_the_welcome_page_leaves_the_set_up_check_to_jupyterlab():
    import nbformat

    from kit.pages.participant import participant_notebook

    nb = nbformat.read(notebooks_dir() / "00-welcome.ipynb", as_version=4)
    page = "\n".join(c.source for c in participant_notebook(nb).cells)
    assert "check_setup" not in page and "Shift+Enter" not in page
    assert "JoinRoom()" in page and "this computer only" in page
    copy = "\n".join(c.source for c in participant_notebook(nb, page=False).cells)
    assert "check_setup" in copy  # JupyterLab keeps it
    assert "Facilitator" not in copy


@pytest.mark.parametrize(
    "query, code",
    [("room=ABC234", "ABC234"), ("token=x&room=%20abc234%20", "abc234"), ("", ""), ("x=1", "")],
)
def test_a_join_link_carries_the_room_code_into_the_kernel(query, code):
    from kit.pages.participant import room_from_link

    assert room_from_link({"QUERY_STRING": query}) == code
    assert room_from_link({}) == ""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("steps: []", "at least one step"),
        ("steps:\n  - {id: a, title: A, notebook: 01-a}", "step a: missing 'minutes'"),
        ("steps:\n  - {id: A-b, title: A, notebook: 01-a, minutes: 3}", "id must be snake_case"),
        ("steps:\n  - {id: a, title: A, notebook: a.ipynb, minutes: 3}", "notebook must look"),
        ("steps:\n  - {id: a, title: A, notebook: 01-a, minutes: 0}", "minutes must be"),
        ("steps:\n  - {id: a, title: A, notebook: 01-a, minutes: 3, when: x}", "unknown field"),
        (
            "steps:\n  - {id: a, title: A, notebook: 01-a, minutes: 3}\n"
            "  - {id: a, title: B, notebook: 02-b, minutes: 3}",
            "used twice",
        ),
    ],
)
def test_a_bad_journey_file_is_named_with_step_and_field(tmp_path, text, expected):
    path = tmp_path / "journey.yaml"
    path.write_text(text)
    with pytest.raises(ValueError, match=r"journey\.yaml") as info:
        journey.load_steps(path)
    assert expected in str(info.value)


def test_standalone_and_server_extension_read_the_same_settings():
    from traitlets.config import Config

    from kit.pages.participant import prelaunch
    from kit.pages.settings import voila_settings

    seen = []
    for name in ("voila.py", "jupyter_server_config.py"):
        c = Config()
        exec(compile((voila_config_dir() / name).read_text(), name, "exec"), {"c": c})
        seen.append(c)
        assert c.VoilaConfiguration.prelaunch_hook is prelaunch
        assert c.VoilaConfiguration.template == "workshop"
        assert c.MappingKernelManager.cull_idle_timeout > 0
    assert seen[0] == seen[1]
    assert (
        seen[0].VoilaConfiguration.resources == voila_settings()["VoilaConfiguration"]["resources"]
    )
    assert (jupyter_data_dir() / "voila" / "templates" / "workshop" / "index.html.j2").is_file()


def _nb(*cells):
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _cell(text, slide_type=None, tags=()):
    meta = {"tags": list(tags)}
    if slide_type:
        meta["slideshow"] = {"slide_type": slide_type}
    return {"cell_type": "markdown", "metadata": meta, "source": text}


def test_participant_pages_leave_out_speaker_notes_and_notebook_only_cells():
    from kit.pages.participant import participant_notebook

    nb = _nb(
        _cell("# Story", "slide"),
        _cell("Facilitator: read it aloud", "notes"),
        _cell("Press Shift+Enter", tags=["notebook-only"]),
        _cell("Your first position", "fragment"),
    )
    out = participant_notebook(nb)
    assert [c["source"] for c in out["cells"]] == ["# Story", "Your first position"]
    assert len(nb["cells"]) == 4  # the packaged notebook is left as it was


#: Words that speak to the facilitator or about running code ("Facilitator:" starts a speaker
#: note; "your facilitator" is fine).
_NOT_FOR_PARTICIPANTS = ("Facilitator", "facilitator's key", "open notebook", "run this cell")


def test_no_packaged_page_shows_a_facilitator_word():
    import nbformat

    from kit.pages.participant import participant_notebook

    for step in journey.page_steps():
        nb = nbformat.read(notebooks_dir() / f"{step.notebook}.ipynb", as_version=4)
        text = "\n".join(c.source for c in participant_notebook(nb).cells)
        for words in _NOT_FOR_PARTICIPANTS:
            found = words in text if words[0].isupper() else words in text.lower()
            assert not found, (step.notebook, words)


def test_opening_a_page_shuts_down_the_kernels_of_earlier_pages_only(monkeypatch):
    import asyncio
    import threading
    from types import SimpleNamespace

    from kit.pages import participant

    monkeypatch.setattr(participant, "_PAGE_KERNELS", set())
    monkeypatch.setattr(participant, "_OTHER_KERNELS", set())
    monkeypatch.setattr(participant, "_LAST", ["other", set()])
    first, second, third = (s.notebook for s in journey.page_steps()[:3])

    class Manager:
        def __init__(self):
            self.alive = {"lab"}  # a notebook in JupyterLab on the same server, from before

        def list_kernel_ids(self):
            return sorted(self.alive)

        async def shutdown_kernel(self, kernel_id, now=False):
            self.alive.remove(kernel_id)

    manager = Manager()

    def handler(name):
        return SimpleNamespace(
            kernel_manager=manager, request=SimpleNamespace(path=f"/voila/render/{name}.ipynb")
        )

    async def walk():
        async def open_(name, kernel):
            out = participant.prelaunch(handler(name), _nb(_cell("Facilitator: x", "notes")), "/")
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            manager.alive.add(kernel)  # Voila starts the page's kernel after the hook
            return out

        shown = await open_(first, "p1")
        assert shown["cells"] == []  # a journey page: the speaker note is left out
        await open_(second, "p2")
        assert manager.alive == {"lab", "p2"}  # the first page's kernel is gone
        kept = await open_("projector", "proj")
        assert kept["cells"] != []  # not a journey page: shown as it is
        assert manager.alive == {"lab", "p2", "proj"}  # the projector ends nothing
        await open_(third, "p3")
        assert manager.alive == {"lab", "proj", "p3"}  # nor is it ended by a page

    # In a thread of its own: an event loop may already run in this one (browser tests).
    errors = []

    def run():
        try:
            asyncio.run(walk())
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=30)
    assert not errors, errors
    assert manager.alive == {"lab", "proj", "p3"}


def test_the_command_carries_only_what_differs_per_run(tmp_path):
    command = serve.voila_command(tmp_path, 8123, "secret")
    assert "--port=8123" in command and "--Voila.ip=127.0.0.1" in command
    assert "--Voila.token=secret" in command
    assert not [c for c in command if "template" in c or "TagRemove" in c]
    env = serve.voila_env({"JUPYTER_PATH": "/elsewhere"})
    assert env["JUPYTER_PATH"].split(":") == [str(jupyter_data_dir()), "/elsewhere"]
    assert env["JUPYTER_CONFIG_PATH"] == str(voila_config_dir())


def test_prepare_gives_each_run_a_new_token_and_only_the_first_url_carries_it(tmp_path):
    one = serve.prepare(folder=tmp_path / "a", port=8001)
    two = serve.prepare(folder=tmp_path / "b", port=8001)
    assert one.token != two.token
    assert one.urls[0] == f"http://127.0.0.1:8001/voila/render/00-welcome.ipynb?token={one.token}"
    assert all("token" not in u for u in one.urls[1:])


# ---------------------------------------------------------------------------- speed
def test_the_page_kernel_spec_starts_the_kit_launcher():
    import json

    from kit.pages.kernel import KERNEL_NAME

    spec = json.loads((jupyter_data_dir() / "kernels" / KERNEL_NAME / "kernel.json").read_text())
    assert spec["argv"] == ["python", "-m", "kit.pages.kernel", "-f", "{connection_file}"]
    assert spec["language"] == "python"
    assert spec["metadata"]["debugger"] is False


def test_a_page_kernel_runs_code_without_loading_the_debugger(tmp_path, monkeypatch):
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    from kit.pages.kernel import KERNEL_NAME

    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    specs = KernelSpecManager(kernel_dirs=[str(jupyter_data_dir() / "kernels")])
    manager = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)
    manager.start_kernel()
    client = manager.client()
    try:
        client.start_channels()
        client.wait_for_ready(timeout=60)
        seen = []
        client.execute_interactive(
            "import sys\nprint(6 * 7, any(m.startswith('_pydevd') for m in sys.modules))",
            timeout=60,
            output_hook=lambda m: seen.append(m["content"].get("text", "")),
        )
        assert "".join(seen).split() == ["42", "False"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.mark.parametrize("has_spec", [True, False])
def test_journey_pages_run_in_the_page_kernel_when_the_server_has_it(monkeypatch, has_spec):
    from types import SimpleNamespace

    from kit.pages import participant
    from kit.pages.kernel import KERNEL_NAME

    monkeypatch.setattr(participant, "_PAGE_KERNELS", set())
    monkeypatch.setattr(participant, "_OTHER_KERNELS", set())
    monkeypatch.setattr(participant, "_LAST", ["other", set()])
    specs = SimpleNamespace(
        find_kernel_specs=lambda: {"python3": "/k", **({KERNEL_NAME: "/p"} if has_spec else {})}
    )

    def opened(name):
        nb = _nb(_cell("# Hello"))
        nb["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        handler = SimpleNamespace(
            kernel_spec_manager=specs, request=SimpleNamespace(path=f"/voila/render/{name}.ipynb")
        )
        return nb, participant.prelaunch(handler, nb, "/")

    packaged, shown = opened(journey.page_steps()[2].notebook)
    assert shown["metadata"]["kernelspec"]["name"] == (KERNEL_NAME if has_spec else "python3")
    assert packaged["metadata"]["kernelspec"]["name"] == "python3"  # the notebook is untouched
    _, other = opened("projector")  # not a journey page: its own kernel, as it says
    assert other["metadata"]["kernelspec"]["name"] == "python3"


def test_every_page_environment_compiles_each_template_once(monkeypatch):
    import jinja2
    from voila.exporter import VoilaExporter

    from kit.pages import templates

    monkeypatch.setattr(templates, "CACHE", templates.MemoryBytecodeCache())
    sources = {
        "page.html": "{% extends 'base.html' %}{% block b %}page{% endblock %}",
        "base.html": "<p>{% block b %}{% endblock %}</p>",
    }
    compiled = []

    class Environment(jinja2.Environment):
        def compile(self, *args, **kwargs):
            compiled.append(args[1] if len(args) > 1 else kwargs.get("name"))
            return super().compile(*args, **kwargs)

    class Exporter:  # builds its environment the way nbconvert's exporters do
        def _create_environment(self):
            return Environment(loader=jinja2.DictLoader(sources))

    assert templates.share_compiled_templates(Exporter)
    assert templates.share_compiled_templates(Exporter)  # twice: still one wrapper
    first = Exporter()._create_environment().get_template("page.html").render()
    again = Exporter()._create_environment().get_template("page.html").render()
    assert first == again == "<p>page</p>"
    assert sorted(compiled) == ["base.html", "page.html"]  # once, for both environments
    sources["page.html"] = sources["page.html"].replace("%}page{%", "%}edited{%")
    assert Exporter()._create_environment().get_template("page.html").render() == "<p>edited</p>"
    assert sorted(compiled) == ["base.html", "page.html", "page.html"]  # the edit recompiled
    # The Voila installed builds its environments the same way, so the pages share too.
    assert templates.share_compiled_templates(VoilaExporter)


def test_the_last_page_with_nothing_to_chart_does_not_load_matplotlib(tmp_path):
    import os
    import subprocess
    import sys

    code = (
        "import sys\nfrom kit import YourPath, Commitments, ShareWithRoom\n"
        "YourPath(); Commitments(); ShareWithRoom()\n"
        "print('matplotlib' in sys.modules)"
    )
    env = {**os.environ, "WORKSHOP_KIT_HOME": str(tmp_path / "empty")}
    env.pop("WORKSHOP_KIT_PROFILE", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False"]
