"""The product function's configuration, from its environment variables."""

from pydantic import BaseModel, ConfigDict, Field

from shop_common.identity import GroupName


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    table_name: str = Field(alias="TABLE_NAME", min_length=3, max_length=255)
    admin_group: GroupName = Field(alias="ADMIN_GROUP")
