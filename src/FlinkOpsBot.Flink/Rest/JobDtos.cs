using System.Text.Json.Serialization;

namespace FlinkOpsBot.Flink.Rest;

// Wire shapes of Flink REST v1 job endpoints (flink-rest-api.md §4). Times are epoch milliseconds;
// end-time is -1 while the job runs.

/// <summary><c>GET /jobs/overview</c>.</summary>
internal sealed record JobsOverviewDto(
    [property: JsonPropertyName("jobs")] IReadOnlyList<JobOverviewDto> Jobs);

/// <summary>One job of <c>GET /jobs/overview</c>.</summary>
internal sealed record JobOverviewDto(
    [property: JsonPropertyName("jid")] string Jid,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("start-time")] long StartTime,
    [property: JsonPropertyName("end-time")] long EndTime);

/// <summary><c>GET /jobs/:jobid</c>; <c>timestamps</c> maps a job status to when the job entered it (0 if never).</summary>
internal sealed record JobDetailsDto(
    [property: JsonPropertyName("jid")] string Jid,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("start-time")] long StartTime,
    [property: JsonPropertyName("end-time")] long EndTime,
    [property: JsonPropertyName("vertices")] IReadOnlyList<JobVertexDto> Vertices,
    [property: JsonPropertyName("timestamps")] IReadOnlyDictionary<string, long>? Timestamps = null);

/// <summary>One entry of <c>vertices</c> in <c>GET /jobs/:jobid</c>.</summary>
internal sealed record JobVertexDto(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("parallelism")] int Parallelism,
    [property: JsonPropertyName("maxParallelism")] int MaxParallelism);

/// <summary>
/// <c>GET /jobs/:jobid/exceptions</c>. Only <c>exceptionHistory</c> is read: it is in every version since 1.13,
/// while the 1.x top-level fields (<c>root-exception</c>, <c>all-exceptions</c>, …) were removed in 2.0 and are ignored.
/// </summary>
internal sealed record JobExceptionsDto(
    [property: JsonPropertyName("exceptionHistory")] ExceptionHistoryDto? ExceptionHistory = null);

/// <summary>The exception history, newest first.</summary>
internal sealed record ExceptionHistoryDto(
    [property: JsonPropertyName("entries")] IReadOnlyList<ExceptionEntryDto> Entries);

/// <summary>One exception history entry; <c>exceptionName</c> is the class, <c>stacktrace</c> starts with "class: message".</summary>
internal sealed record ExceptionEntryDto(
    [property: JsonPropertyName("exceptionName")] string ExceptionName,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("stacktrace")] string? Stacktrace = null,
    [property: JsonPropertyName("taskName")] string? TaskName = null);
