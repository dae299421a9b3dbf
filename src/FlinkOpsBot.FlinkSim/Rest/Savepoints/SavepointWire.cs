using System.Text.Json.Serialization;

namespace FlinkOpsBot.FlinkSim.Rest.Savepoints;

/// <summary>Body of POST /jobs/:jobid/savepoints: kebab-case names (not those of the stop body).</summary>
internal sealed record SavepointTriggerRequestBody(
    [property: JsonPropertyName("target-directory")] string? TargetDirectory,
    [property: JsonPropertyName("cancel-job")] bool? CancelJob,
    [property: JsonPropertyName("formatType")] string? FormatType,
    [property: JsonPropertyName("triggerId")] string? TriggerId);

/// <summary>Body of POST /jobs/:jobid/stop: camelCase <c>targetDirectory</c>.</summary>
internal sealed record StopWithSavepointRequestBody(
    [property: JsonPropertyName("targetDirectory")] string? TargetDirectory,
    [property: JsonPropertyName("drain")] bool? Drain,
    [property: JsonPropertyName("formatType")] string? FormatType,
    [property: JsonPropertyName("triggerId")] string? TriggerId);

/// <summary>202 of the trigger endpoints: the trigger id to poll with.</summary>
internal sealed record TriggerResponse([property: JsonPropertyName("request-id")] string RequestId);

/// <summary>GET /jobs/:jobid/savepoints/:triggerid: <c>operation</c> is null while IN_PROGRESS.</summary>
internal sealed record AsynchronousOperationResult(
    [property: JsonPropertyName("status")] QueueStatus Status,
    [property: JsonPropertyName("operation")] SavepointInfo? Operation);

/// <summary><c>IN_PROGRESS</c> or <c>COMPLETED</c> (which covers success and failure).</summary>
internal sealed record QueueStatus([property: JsonPropertyName("id")] string Id);

/// <summary>The result of a savepoint or stop: exactly one of <c>location</c> and <c>failure-cause</c>.</summary>
internal sealed record SavepointInfo(
    [property: JsonPropertyName("location"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Location,
    [property: JsonPropertyName("failure-cause"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SerializedThrowable? FailureCause);

/// <summary>A Java exception as Flink's <c>SerializedThrowableSerializer</c> writes it.</summary>
internal sealed record SerializedThrowable(
    [property: JsonPropertyName("class")] string Class,
    [property: JsonPropertyName("stack-trace")] string StackTrace,
    [property: JsonPropertyName("serialized-throwable")] string SerializedThrowableBase64);
