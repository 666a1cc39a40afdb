"""Configuration read once from environment variables into a validated, frozen object."""

import os
from collections.abc import Mapping
from typing import TypeVar

from pydantic import BaseModel, ValidationError

S = TypeVar("S", bound=BaseModel)


def load_settings(model: type[S], environ: Mapping[str, str] = os.environ) -> S:
    try:
        return model.model_validate(dict(environ))
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise RuntimeError(f"Invalid configuration: {problems}") from None
