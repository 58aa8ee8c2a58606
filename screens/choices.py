"""The choices the questions offer, with the words shown beside each: shared by the Textual screens and the
--plain prompts, and free of Textual so that `--plain` never loads it."""

from __future__ import annotations

from wizard.answers import CloudName, Scheduler, SignIn, VmOs

CLOUDS = [
    (CloudName.AZURE.value, "Azure (public cloud)"),
    (CloudName.CHINA.value, "Azure China (21Vianet)"),
    (CloudName.US_GOVERNMENT.value, "Azure US Government"),
]

SIGN_INS = [
    (SignIn.CLI.value, "Azure CLI login (az login)"),
    (SignIn.DEVICE_CODE.value, "Device code (for terminals without a browser)"),
    (SignIn.BROWSER.value, "Browser window"),
    (SignIn.SERVICE_PRINCIPAL.value, "Service principal (AZURE_CLIENT_ID/SECRET/TENANT_ID)"),
]

OSES = [
    (VmOs.LINUX.value, "Linux (Ubuntu Data Science VM)"),
    (VmOs.WINDOWS.value, "Windows (Windows Server Data Science VM)"),
]

MEANING = {
    VmOs.LINUX.value: "You connect with SSH, using your ~/.ssh key or one generated and saved for you; Jupyter "
    "is reached through an SSH tunnel to https://localhost:8000. Cheaper: no Windows licence.",
    VmOs.WINDOWS.value: "You connect with Remote Desktop (an .rdp file is saved for you) and a password asked "
    "for at run time; Jupyter runs on the desktop. Costs more per hour (Windows licence).",
}

SCHEDULERS = [
    (Scheduler.AML_SCHEDULE.value, "Azure ML schedule: simplest, lives in the workspace"),
    (Scheduler.DATA_FACTORY.value, "Data Factory trigger: for data pipelines with many steps"),
    (Scheduler.FUNCTIONS.value, "Azure Functions timer: code you own, most flexible"),
    (Scheduler.LOGIC_APPS.value, "Logic Apps recurrence: no code, many connectors"),
]

# (short name, cost, where it runs, retries, monitoring): the seed's options as a first-time user weighs them.
COMPARISON = {
    Scheduler.AML_SCHEDULE.value: ("AML", "free", "AML workspace", "pipeline's", "AML studio"),
    Scheduler.DATA_FACTORY.value: ("ADF", "~$1/1k runs", "Data Factory", "per activity", "ADF monitor"),
    Scheduler.FUNCTIONS.value: ("Functions", "free tier", "Function App", "your code", "App Insights"),
    Scheduler.LOGIC_APPS.value: ("Logic Apps", "per action", "Logic App", "retry policy", "run history"),
}
