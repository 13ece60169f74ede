"""Clusters, companies, their contacts and the people who log in.

The models live in modules by subject (organisations, sme, logins); everything imports them
from here.
"""

from .identity import Agency
from .logins import ClusterGrant, User, UserManager
from .organisations import Cluster, Company, Contact, Relationship, Sector, SmeClass, Topic
from .sme import NOT_NEGATIVE, PERCENT, SmeFigures, SmeHolding

__all__ = [
    "Agency",
    "Cluster",
    "ClusterGrant",
    "Company",
    "Contact",
    "NOT_NEGATIVE",
    "PERCENT",
    "Relationship",
    "Sector",
    "SmeClass",
    "SmeFigures",
    "SmeHolding",
    "Topic",
    "User",
    "UserManager",
]
