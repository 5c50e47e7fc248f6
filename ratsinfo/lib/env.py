"""Environment helpers that fail loudly: a typo in production config must not go unnoticed."""

from __future__ import annotations

import os


class ConfigurationError(RuntimeError):
    pass


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ConfigurationError(f"Umgebungsvariable {name} ist nicht gesetzt.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on", "ja"}:
        return True
    if lowered in {"0", "false", "no", "off", "nein"}:
        return False
    raise ConfigurationError(f"Umgebungsvariable {name}={value!r} ist kein Wahrheitswert (1/0, true/false).")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigurationError(f"Umgebungsvariable {name}={value!r} ist keine ganze Zahl.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, default: str | None = None) -> str:
    """A secret from `NAME`, or read from the file named by `NAME_FILE` (Docker/systemd credentials),
    so that it need not stand in the environment or a unit file."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        if os.environ.get(name):
            raise ConfigurationError(f"Nur eine von {name} und {name}_FILE setzen.")
        try:
            with open(path, encoding="utf-8") as handle:
                value = handle.read().strip()
        except OSError as exc:
            raise ConfigurationError(f"{name}_FILE={path!r} lässt sich nicht lesen: {exc.strerror}.") from None
        if not value:
            raise ConfigurationError(f"Die Datei aus {name}_FILE ({path}) ist leer.")
        return value
    return env_str(name, default)
