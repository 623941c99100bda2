"""Base classes defined in other modules of the checked tree, through both front doors."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BASE = textwrap.dedent('''
    import keras

    class ResidualBase(keras.layers.Layer):
        def __init__(self, inner, **kwargs):
            super().__init__(**kwargs)
            self.inner = inner

        def call(self, x):
            return x + self.inner(x)
''')


def make_package(root: Path, import_line: str) -> Path:
    package = root / "src" / "netpkg"
    (package / "blocks").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "blocks" / "__init__.py").write_text("")
    (package / "base.py").write_text(BASE)
    user = package / "blocks" / "dense.py"
    user.write_text(textwrap.dedent(f'''
        {import_line}

        class DenseResidual(ResidualBase):
            def extra(self):
                return 1
    '''))
    return user


@pytest.mark.parametrize("import_line", [
    "from ..base import ResidualBase",
    "from netpkg.base import ResidualBase",
])
def test_subclass_in_another_file_inherits_rules(tmp_path, import_line):
    user = make_package(tmp_path, import_line)
    kcheck = subprocess.run([sys.executable, "-m", "kcheck", "--select", "KS101", str(user)],
                            capture_output=True, text=True)
    assert "KS101 DenseResidual has no get_config()" in kcheck.stdout, kcheck.stdout
    flake8 = subprocess.run([sys.executable, "-m", "flake8", "--select", "KS101", str(user)],
                            capture_output=True, text=True)
    assert flake8.stdout.strip() == kcheck.stdout.splitlines()[0].strip()


def test_from_package_import_module_attribute(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "base.py").write_text(BASE)
    user = package / "user.py"
    user.write_text("from . import base\n\nclass Child(base.ResidualBase):\n    pass\n")
    result = subprocess.run([sys.executable, "-m", "kcheck", "--select", "KS101", str(user)],
                            capture_output=True, text=True)
    assert "KS101 Child" in result.stdout


def test_unrelated_base_with_a_keras_like_name_is_silent(tmp_path):
    (tmp_path / "base.py").write_text("class Layer:\n    pass\n")
    user = tmp_path / "user.py"
    user.write_text("from base import Layer\n\nclass Mine(Layer):\n"
                    "    def __init__(self, inner):\n        self.inner = inner\n")
    result = subprocess.run([sys.executable, "-m", "kcheck", str(user)], capture_output=True,
                            text=True)
    assert (result.returncode, result.stdout) == (0, "")


def test_import_cycle_between_modules_does_not_hang(tmp_path):
    (tmp_path / "a.py").write_text("from b import B\nclass A(B):\n    pass\n")
    (tmp_path / "b.py").write_text("from a import A\nclass B(A):\n    pass\n")
    result = subprocess.run([sys.executable, "-m", "kcheck", str(tmp_path)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0


def test_module_names_are_those_of_module_name_for(tmp_path):
    """Project.module_name asks each folder once; its answers are module_name_for's."""
    from kcheck.facts.project import Project, module_name_for

    package = tmp_path / "src" / "pkg" / "sub"
    package.mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    loose = tmp_path / "scripts"
    loose.mkdir()
    files = [package / "__init__.py", package / "blocks.py", tmp_path / "src" / "pkg" / "a.py",
             loose / "train.py", tmp_path / "src" / "top.py"]
    for path in files:
        path.touch()
    project = Project()
    for path in files:
        assert project.module_name(path) == module_name_for(path)
    assert project.module_name(package / "blocks.py")[:2] == ("pkg.sub.blocks", tmp_path / "src")


def test_a_registering_decorator_elsewhere_is_read_without_parsing_its_module(tmp_path):
    """Only the decorator's own lines are parsed; its module stays an outline."""
    from kcheck.facts.project import Project
    from kcheck.facts.registrations import find_registrations
    from kcheck.sources.parsing import parse_module

    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "api.py").write_text(textwrap.dedent('''\
        import keras

        def unrelated():
            return 1

        def export(name):
            def wrap(cls):
                return keras.saving.register_keras_serializable(package=name)(cls)
            return wrap

        if True:
            def indented(cls):
                return keras.saving.register_keras_serializable()(cls)
        '''))
    layers = package / "layers.py"
    layers.write_text(textwrap.dedent('''\
        import keras
        from pkg.api import export, indented, unrelated

        @export("pkg")
        class A(keras.layers.Layer):
            pass

        @unrelated
        class B(keras.layers.Layer):
            pass
        '''))
    project = Project()
    module = project.begin_check(layers, parse_module(layers.read_text()))
    found = find_registrations(project, module)
    assert set(found.registered) == {"A"}
    assert project.module(package / "api.py").outline
    # a definition that cannot stand alone makes its module parse whole, and still counts
    layers.write_text(layers.read_text().replace("@unrelated", "@indented"))
    project = Project()
    module = project.begin_check(layers, parse_module(layers.read_text()))
    assert set(find_registrations(project, module).registered) == {"A", "B"}
    assert not project.module(package / "api.py").outline
