using System.Text.Json.Serialization;

namespace FlinkOpsBot.FlinkSim.Rest.Jobs;

/// <summary>GET /jobs (<c>JobIdsWithStatusOverview</c>).</summary>
internal sealed record JobIdsWithStatusOverview([property: JsonPropertyName("jobs")] IReadOnlyList<JobIdWithStatus> Jobs);

/// <summary>An entry of <see cref="JobIdsWithStatusOverview"/>: note <c>id</c>/<c>status</c>, not <c>jid</c>/<c>state</c>.</summary>
internal sealed record JobIdWithStatus(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("status")] string Status);

/// <summary>GET /jobs/overview (<c>MultipleJobsDetails</c>).</summary>
internal sealed record MultipleJobsDetails([property: JsonPropertyName("jobs")] IReadOnlyList<JobDetails> Jobs);

/// <summary>An entry of <see cref="MultipleJobsDetails"/>; <c>tasks</c> has lower-case execution states and <c>total</c>.</summary>
internal sealed record JobDetails(
    [property: JsonPropertyName("jid")] string Jid,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("start-time")] long StartTime,
    [property: JsonPropertyName("end-time")] long EndTime,
    [property: JsonPropertyName("duration")] long Duration,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("last-modification")] long LastModification,
    [property: JsonPropertyName("tasks")] IReadOnlyDictionary<string, int> Tasks);

/// <summary>GET /jobs/:jobid (<c>JobDetailsInfo</c>).</summary>
internal sealed record JobDetailsInfo(
    [property: JsonPropertyName("jid")] string Jid,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("isStoppable")] bool IsStoppable,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("job-type")] string JobType,
    [property: JsonPropertyName("start-time")] long StartTime,
    [property: JsonPropertyName("end-time")] long EndTime,
    [property: JsonPropertyName("duration")] long Duration,
    [property: JsonPropertyName("maxParallelism")] long MaxParallelism,
    [property: JsonPropertyName("now")] long Now,
    [property: JsonPropertyName("timestamps")] IReadOnlyDictionary<string, long> Timestamps,
    [property: JsonPropertyName("vertices")] IReadOnlyList<JobVertexInfo> Vertices,
    [property: JsonPropertyName("status-counts")] IReadOnlyDictionary<string, int> StatusCounts,
    [property: JsonPropertyName("plan")] JobPlan Plan);

/// <summary>A vertex of <see cref="JobDetailsInfo"/>; <c>tasks</c> has upper-case execution states.</summary>
internal sealed record JobVertexInfo(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("slotSharingGroupId")] string SlotSharingGroupId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("maxParallelism")] int MaxParallelism,
    [property: JsonPropertyName("parallelism")] int Parallelism,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("start-time")] long StartTime,
    [property: JsonPropertyName("end-time")] long EndTime,
    [property: JsonPropertyName("duration")] long Duration,
    [property: JsonPropertyName("tasks")] IReadOnlyDictionary<string, int> Tasks,
    [property: JsonPropertyName("metrics")] IoMetrics Metrics);

/// <summary>The I/O metrics of a <see cref="JobVertexInfo"/>.</summary>
internal sealed record IoMetrics(
    [property: JsonPropertyName("read-bytes")] long ReadBytes,
    [property: JsonPropertyName("read-bytes-complete")] bool ReadBytesComplete,
    [property: JsonPropertyName("write-bytes")] long WriteBytes,
    [property: JsonPropertyName("write-bytes-complete")] bool WriteBytesComplete,
    [property: JsonPropertyName("read-records")] long ReadRecords,
    [property: JsonPropertyName("read-records-complete")] bool ReadRecordsComplete,
    [property: JsonPropertyName("write-records")] long WriteRecords,
    [property: JsonPropertyName("write-records-complete")] bool WriteRecordsComplete,
    [property: JsonPropertyName("accumulated-backpressured-time")] long AccumulatedBackpressuredTime,
    [property: JsonPropertyName("accumulated-idle-time")] long AccumulatedIdleTime,
    [property: JsonPropertyName("accumulated-busy-time")] double AccumulatedBusyTime);

/// <summary>The JSON plan of a job.</summary>
internal sealed record JobPlan(
    [property: JsonPropertyName("jid")] string Jid,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("nodes")] IReadOnlyList<PlanNode> Nodes);

/// <summary>A node of a <see cref="JobPlan"/>; sources have no <c>inputs</c>.</summary>
internal sealed record PlanNode(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("parallelism")] int Parallelism,
    [property: JsonPropertyName("operator")] string Operator,
    [property: JsonPropertyName("operator_strategy")] string OperatorStrategy,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("inputs"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<PlanInput>? Inputs,
    [property: JsonPropertyName("optimizer_properties")] IReadOnlyDictionary<string, string> OptimizerProperties);

/// <summary>An input edge of a <see cref="PlanNode"/>.</summary>
internal sealed record PlanInput(
    [property: JsonPropertyName("num")] int Num,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("ship_strategy")] string ShipStrategy,
    [property: JsonPropertyName("exchange")] string Exchange);

/// <summary>GET /jobs/:jobid/status (<c>JobStatusInfo</c>).</summary>
internal sealed record JobStatusInfo([property: JsonPropertyName("status")] string Status);

/// <summary>
/// GET /jobs/:jobid/exceptions (<c>JobExceptionsInfoWithHistory</c>). In 1.20 the deprecated top-level fields are
/// still written, but always empty: <c>root-exception</c> and <c>timestamp</c> null, <c>all-exceptions</c> [].
/// </summary>
internal sealed record JobExceptionsInfoWithHistory(
    [property: JsonPropertyName("root-exception")] string? RootException,
    [property: JsonPropertyName("timestamp")] long? Timestamp,
    [property: JsonPropertyName("all-exceptions")] IReadOnlyList<string> AllExceptions,
    [property: JsonPropertyName("truncated")] bool Truncated,
    [property: JsonPropertyName("exceptionHistory")] JobExceptionHistory ExceptionHistory);

/// <summary>The exception history: root exceptions, newest first.</summary>
internal sealed record JobExceptionHistory(
    [property: JsonPropertyName("entries")] IReadOnlyList<RootExceptionInfo> Entries,
    [property: JsonPropertyName("truncated")] bool Truncated);

/// <summary>
/// One failure of a job. <c>location</c> (deprecated since 1.19) repeats <c>endpoint</c>; the task fields are left
/// out when null, as Flink does. The simulation has no concurrent failures, so <c>concurrentExceptions</c> is [].
/// </summary>
internal sealed record RootExceptionInfo(
    [property: JsonPropertyName("exceptionName")] string ExceptionName,
    [property: JsonPropertyName("stacktrace")] string Stacktrace,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("taskName"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TaskName,
    [property: JsonPropertyName("location"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Location,
    [property: JsonPropertyName("endpoint"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Endpoint,
    [property: JsonPropertyName("taskManagerId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TaskManagerId,
    [property: JsonPropertyName("failureLabels")] IReadOnlyDictionary<string, string> FailureLabels,
    [property: JsonPropertyName("concurrentExceptions")] IReadOnlyList<RootExceptionInfo> ConcurrentExceptions);
