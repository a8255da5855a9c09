"""Resource transforms, run as the engine runs them before it registers a resource.

The engine calls each transform with the resource's properties and options and continues from
what it returns (pulumi/pulumi ``pkg/resource/deploy/source_eval.go``, ``RegisterResource``):
every option a transform may change (``TransformResourceOptions``, ``proto/pulumi/resource.proto``)
is read back into the registration, so a transform that adds a dependency, an alias, a timeout,
a provider or a secret output is honoured exactly as one that edits the properties.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pulumi.runtime._callbacks import _CallbackServicer
from pulumi.runtime.proto import resource_pb2


def apply_transforms(
    request: Any, callbacks: list[Any], loop: asyncio.AbstractEventLoop
) -> resource_pb2.RegisterResourceRequest:
    """The registration after ``callbacks`` (``callback_pb2.Callback``), each in turn."""
    transformed = resource_pb2.RegisterResourceRequest()
    transformed.CopyFrom(request)
    options = options_of(request)
    for callback in callbacks:
        function = _callback_function(callback.token)
        if function is None:
            continue
        message = resource_pb2.TransformRequest(
            type=request.type,
            name=request.name,
            custom=request.custom,
            parent=request.parent,
            properties=transformed.object,
            options=options,
        )
        response = asyncio.run_coroutine_threadsafe(
            function(message.SerializeToString()), loop
        ).result()
        transformed.object.CopyFrom(response.properties)
        if response.HasField("options"):
            options = response.options
    _write_back(options, transformed)
    return transformed


def options_of(request: Any) -> resource_pb2.TransformResourceOptions:
    """A registration's options as a transform receives them."""
    options = resource_pb2.TransformResourceOptions(
        depends_on=list(request.dependencies),
        protect=request.protect,
        ignore_changes=list(request.ignoreChanges),
        replace_on_changes=list(request.replaceOnChanges),
        version=request.version,
        aliases=list(request.aliases),
        provider=request.provider,
        plugin_download_url=request.pluginDownloadURL,
        retain_on_delete=request.retainOnDelete,
        deleted_with=request.deletedWith,
        additional_secret_outputs=list(request.additionalSecretOutputs),
        providers=dict(request.providers),
        plugin_checksums=dict(request.pluginChecksums),
        hide_diff=list(request.hideDiffs),
        replace_with=list(request.replace_with),
        **{"import": request.importId},
    )
    if request.HasField("customTimeouts"):
        options.custom_timeouts.CopyFrom(request.customTimeouts)
    if request.HasField("hooks"):
        options.hooks.CopyFrom(request.hooks)
    if request.HasField("replacement_trigger"):
        options.replacement_trigger.CopyFrom(request.replacement_trigger)
    if request.deleteBeforeReplaceDefined:
        options.delete_before_replace = request.deleteBeforeReplace
    return options


def _write_back(options: Any, request: Any) -> None:
    """Set every option the transforms returned on the registration."""
    _replace(request.dependencies, options.depends_on)
    request.protect = options.protect
    _replace(request.ignoreChanges, options.ignore_changes)
    _replace(request.replaceOnChanges, options.replace_on_changes)
    request.version = options.version
    del request.aliases[:]
    request.aliases.extend(options.aliases)
    if options.provider:
        request.provider = options.provider
    request.pluginDownloadURL = options.plugin_download_url
    request.retainOnDelete = options.retain_on_delete
    request.deletedWith = options.deleted_with
    _replace(request.additionalSecretOutputs, options.additional_secret_outputs)
    request.providers.clear()
    request.providers.update(dict(options.providers))
    request.pluginChecksums.clear()
    request.pluginChecksums.update(dict(options.plugin_checksums))
    _replace(request.hideDiffs, options.hide_diff)
    _replace(request.replace_with, options.replace_with)
    request.importId = getattr(options, "import")
    request.ClearField("customTimeouts")
    if options.HasField("custom_timeouts"):
        request.customTimeouts.CopyFrom(options.custom_timeouts)
    request.ClearField("hooks")
    if options.HasField("hooks"):
        request.hooks.CopyFrom(options.hooks)
    request.ClearField("replacement_trigger")
    if options.HasField("replacement_trigger"):
        request.replacement_trigger.CopyFrom(options.replacement_trigger)
    if options.HasField("delete_before_replace"):
        request.deleteBeforeReplace = options.delete_before_replace
        request.deleteBeforeReplaceDefined = True
    else:
        request.deleteBeforeReplace = False
        request.deleteBeforeReplaceDefined = False


def _replace(field: Any, values: Any) -> None:
    del field[:]
    field.extend(values)


def _callback_function(token: str) -> Any:
    """The SDK's in-process callback (a transform) registered under ``token``."""
    for servicer in _CallbackServicer._servicers:
        function = servicer._callbacks.get(token)
        if function is not None:
            return function
    return None
