"""Microsoft.DataFactory: every PUT answers 200, even a create (the SDK rejects 201), and is synchronous."""

from wizard.emulator.behaviour import SYNC_OK, Behaviour, register


@register
class Factory(Behaviour):
    type = "Microsoft.DataFactory/factories"
    on_create = SYNC_OK
    requires_location = True


@register
class Pipeline(Behaviour):
    type = "Microsoft.DataFactory/factories/pipelines"
    on_create = SYNC_OK


@register
class Trigger(Behaviour):
    type = "Microsoft.DataFactory/factories/triggers"
    on_create = SYNC_OK


@register
class LinkedService(Behaviour):
    type = "Microsoft.DataFactory/factories/linkedservices"
    on_create = SYNC_OK


@register
class Dataset(Behaviour):
    type = "Microsoft.DataFactory/factories/datasets"
    on_create = SYNC_OK
