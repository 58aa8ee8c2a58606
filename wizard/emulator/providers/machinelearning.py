"""Microsoft.MachineLearningServices: workspaces answer 202 + Location (never 201); computes answer 201 with
Azure-AsyncOperation on create and 200 on update."""

from wizard.emulator.behaviour import ACCEPTED_LOCATION, CREATED_ASYNC, DELETE_ACCEPTED, Behaviour, register


@register
class Workspace(Behaviour):
    type = "Microsoft.MachineLearningServices/workspaces"
    on_create = ACCEPTED_LOCATION
    on_delete = DELETE_ACCEPTED
    latency = 20.0
    delete_latency = 10.0
    requires_location = True


@register
class Compute(Behaviour):
    type = "Microsoft.MachineLearningServices/workspaces/computes"
    on_create = CREATED_ASYNC
    on_delete = DELETE_ACCEPTED
    latency = 15.0
    delete_latency = 5.0
