"""The Functions host's part the emulator plays: index a deployed Python app and invoke one of its functions.

Run as a script in a subprocess, never imported by the emulator, so the deployed code runs in its own process
with only the environment App Service gives it (app settings, IDENTITY_ENDPOINT, IDENTITY_HEADER). It loads
``function_app.py`` as the Python worker does (the module's ``FunctionApp``), and:

* ``index APP_DIR`` prints each function's metadata (the function.json the worker reports to the host);
* ``invoke APP_DIR NAME`` reads an invocation as JSON on stdin (``method``, ``params``, ``body`` for HTTP),
  calls the function with its trigger argument and prints the HTTP response (status, body) as JSON.

Only the standard library and azure-functions (the app's own dependency) are used here.
"""

import importlib.util
import json
import sys
from typing import Any

import azure.functions as func
from azure.functions.timer import TimerRequest


def _app(app_dir: str) -> Any:
    sys.path.insert(0, app_dir)
    spec = importlib.util.spec_from_file_location("function_app", f"{app_dir}/function_app.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no function_app.py in {app_dir}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    apps = [value for value in vars(module).values() if isinstance(value, func.FunctionApp)]
    if len(apps) != 1:
        raise SystemExit("function_app.py must define exactly one FunctionApp")
    return apps[0]


def index(app_dir: str) -> list[dict[str, Any]]:
    return [
        {"name": function.get_function_name(), **json.loads(function.get_function_json())}
        for function in _app(app_dir).get_functions()
    ]


def invoke(app_dir: str, name: str, invocation: dict[str, Any]) -> dict[str, Any]:
    function = next(f for f in _app(app_dir).get_functions() if f.get_function_name() == name)
    trigger = json.loads(function.get_function_json())["bindings"][0]
    if trigger["type"] == "timerTrigger":
        function.get_user_function()(**{trigger["name"]: TimerRequest(past_due=False)})
        return {"status": 200, "body": ""}
    request = func.HttpRequest(
        method=invocation.get("method", "POST"),
        url=f"http://localhost/api/{trigger.get('route') or name}",
        headers={"content-type": "application/json"},
        params=invocation.get("params") or {},
        body=str(invocation.get("body") or "").encode(),
    )
    response = function.get_user_function()(**{trigger["name"]: request})
    return {"status": response.status_code, "body": response.get_body().decode()}


if __name__ == "__main__":
    mode, directory = sys.argv[1], sys.argv[2]
    if mode == "index":
        print(json.dumps(index(directory)))
    else:
        print(json.dumps(invoke(directory, sys.argv[3], json.load(sys.stdin))))
