"""The served pages' settings: the journey file, the Voila config files, the serve command."""

from __future__ import annotations

import json

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
    assert "00-welcome" not in names  # the set-up check is for JupyterLab


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


def test_standalone_and_server_extension_use_the_same_voila_settings():
    standalone = json.loads((voila_config_dir() / "voila.json").read_text())
    extension = json.loads((voila_config_dir() / "jupyter_server_config.json").read_text())
    assert standalone == extension
    assert standalone["VoilaConfiguration"]["template"] == "workshop"
    assert (jupyter_data_dir() / "voila" / "templates" / "workshop" / "index.html.j2").is_file()


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
    assert (
        one.urls[0] == f"http://127.0.0.1:8001/voila/render/01-the-dilemma.ipynb?token={one.token}"
    )
    assert all("token" not in u for u in one.urls[1:])
