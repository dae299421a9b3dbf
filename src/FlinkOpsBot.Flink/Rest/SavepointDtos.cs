using System.Text.Json.Serialization;

namespace FlinkOpsBot.Flink.Rest;

// Wire shapes of stop-with-savepoint and its status (flink-rest-api.md §6).

/// <summary>Body of <c>POST /jobs/:jobid/stop</c>: camelCase here, unlike <c>target-directory</c> on <c>/savepoints</c>.</summary>
internal sealed record StopWithSavepointRequestDto(
    [property: JsonPropertyName("targetDirectory")] string? TargetDirectory,
    [property: JsonPropertyName("drain")] bool Drain,
    [property: JsonPropertyName("triggerId")] string TriggerId);

/// <summary><c>GET /jobs/:jobid/savepoints/:triggerid</c>: <c>operation</c> is present once the status is COMPLETED.</summary>
internal sealed record SavepointStatusDto(
    [property: JsonPropertyName("status")] AsyncStatusDto Status,
    [property: JsonPropertyName("operation")] SavepointResultDto? Operation = null);

/// <summary>An asynchronous operation's status; <c>id</c> is IN_PROGRESS or COMPLETED (success and failure alike).</summary>
internal sealed record AsyncStatusDto(
    [property: JsonPropertyName("id")] string Id);

/// <summary>A finished savepoint: a <c>location</c> on success, a <c>failure-cause</c> on failure (kebab case here).</summary>
internal sealed record SavepointResultDto(
    [property: JsonPropertyName("location")] string? Location = null,
    [property: JsonPropertyName("failure-cause")] FailureCauseDto? FailureCause = null);

/// <summary>A serialized Java throwable; <c>stack-trace</c> starts with "class: message".</summary>
internal sealed record FailureCauseDto(
    [property: JsonPropertyName("class")] string? Class = null,
    [property: JsonPropertyName("stack-trace")] string? StackTrace = null);
