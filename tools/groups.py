"""XML ids of the groups the addon's fields, actions and checks are restricted to."""

INTERNAL = "base.group_user"
COLLECTION_USER = "account_collection.account_collection_group_user"
COLLECTION_MANAGER = "account_collection.account_collection_group_manager"
