"""Parse ARM resource paths into what they address.

ARM ids follow one grammar: ``/subscriptions/{s}[/resourceGroups/{g}]`` then one or more provider blocks
``/providers/{Namespace}/{type}/{name}[/{childType}/{childName}...]`` (a second block makes an extension resource,
e.g. a role assignment on a storage account). A path ending on a type instead of a name addresses a collection
(GET lists it) or, for POST, an action on the resource before it.
"""

from dataclasses import dataclass

GROUPS_NAMESPACE = "Microsoft.Resources"
GROUP_TYPE = "Microsoft.Resources/resourceGroups"


@dataclass(frozen=True)
class Address:
    """A resource (``name`` set) or a collection of ``types`` (``name`` None) inside ``parent``."""

    subscription: str
    resource_group: str | None
    namespace: str
    types: tuple[str, ...]  # type segments after the namespace: ("virtualNetworks", "subnets")
    name: str | None
    parent: str  # id of the subscription, group or resource holding it, as written in the path

    @property
    def type(self) -> str:
        return "/".join((self.namespace, *self.types))

    @property
    def is_group(self) -> bool:
        return self.type.lower() == GROUP_TYPE.lower()

    @property
    def top_level(self) -> bool:
        """True when the type hangs directly off its provider block (not a child type)."""
        return len(self.types) == 1

    @property
    def id(self) -> str:
        return self.id_in(self.parent, self.namespace, self.types[-1])

    @property
    def key(self) -> str:
        return self.id.lower()

    def id_in(self, parent: str, namespace: str, type_segment: str) -> str:
        """This resource's id under a given parent id and spelling of namespace and type."""
        if self.is_group:
            return f"{parent}/resourceGroups/{self.name}"
        if self.top_level:
            return f"{parent}/providers/{namespace}/{type_segment}/{self.name}"
        return f"{parent}/{type_segment}/{self.name}"

    @property
    def display(self) -> str:
        """How ARM names a resource in messages: 'Namespace/type/name[/childType/childName]'."""
        return self.id.rsplit("/providers/", 1)[-1]


def parse(segments: list[str]) -> Address | None:
    """The address of a decoded path under /subscriptions, or None when it is not a resource path."""
    if len(segments) < 3 or segments[0].lower() != "subscriptions":
        return None
    subscription = segments[1]
    scope = f"/subscriptions/{subscription}"
    rest = segments[2:]
    group = None
    if rest[0].lower() == "resourcegroups":
        if len(rest) <= 2:
            name = rest[1] if len(rest) == 2 else None
            return Address(subscription, name, GROUPS_NAMESPACE, ("resourceGroups",), name, scope)
        group = rest[1]
        scope = f"{scope}/resourceGroups/{group}"
        rest = rest[2:]
    while True:
        if len(rest) < 3 or rest[0].lower() != "providers":
            return None
        namespace, block = rest[1], rest[2:]
        extension_at = next((i for i in range(2, len(block), 2) if block[i].lower() == "providers"), None)
        if extension_at is None:
            break
        # The resource before a second /providers/ becomes the scope of an extension resource.
        scope = "/".join([f"{scope}/providers/{namespace}", *block[:extension_at]])
        rest = block[extension_at:]
    types = tuple(block[0::2])
    names = block[1::2]
    name = names[-1] if len(names) == len(types) else None
    ancestors = names[: len(types) - 1]
    parent = scope
    if len(types) > 1:
        pairs = [part for pair in zip(types, ancestors, strict=False) for part in pair]
        parent = "/".join([f"{scope}/providers/{namespace}", *pairs])
    return Address(subscription, group, namespace, types, name, parent)
