using System.Text.Json.Serialization;

namespace FlinkOpsBot.Flink.Rest;

// Wire shapes of the Flink REST v1 endpoints the cookbook's reports and in-place operations read
// (flink-rest-api.md §4, §7, §8, §9). Where Flink 1.20's OpenAPI spec and the wire disagree, these follow the wire.

/// <summary>Body of <c>POST /jobs/:jobid/savepoints</c>: kebab case <c>target-directory</c> and <c>cancel-job</c>, camelCase the rest.</summary>
internal sealed record SavepointTriggerRequestDto(
    [property: JsonPropertyName("target-directory")] string? TargetDirectory,
    [property: JsonPropertyName("cancel-job")] bool CancelJob,
    [property: JsonPropertyName("triggerId")] string TriggerId,
    [property: JsonPropertyName("formatType")] string? FormatType = null);

/// <summary>
/// One metric of <c>GET /jobs/:jobid/metrics?get=…</c>: a top-level array on the wire (the spec's <c>{"metrics":[…]}</c>
/// is wrong); <c>value</c> is a string, absent when only the ids are listed.
/// </summary>
internal sealed record MetricDto(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("value")] string? Value = null);

/// <summary>One metric of <c>GET …/subtasks/metrics?get=…&amp;agg=…</c>: only the requested aggregations are present, as numbers.</summary>
internal sealed record AggregatedMetricDto(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("min")] double? Min = null,
    [property: JsonPropertyName("max")] double? Max = null,
    [property: JsonPropertyName("avg")] double? Avg = null,
    [property: JsonPropertyName("sum")] double? Sum = null);

/// <summary>
/// <c>GET /jobs/:jobid/vertices/:vertexid/backpressure</c>: <c>status</c> is <c>ok</c>, or <c>deprecated</c> while no
/// metrics are available for the vertex yet (then the other fields are absent).
/// </summary>
internal sealed record BackPressureDto(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("backpressureLevel")] string? BackpressureLevel = null,
    [property: JsonPropertyName("subtasks")] IReadOnlyList<SubtaskBackPressureDto>? Subtasks = null);

/// <summary>One subtask of <see cref="BackPressureDto"/>; ratios are 0–1.</summary>
internal sealed record SubtaskBackPressureDto(
    [property: JsonPropertyName("subtask")] int Subtask,
    [property: JsonPropertyName("ratio")] double? Ratio = null,
    [property: JsonPropertyName("busyRatio")] double? BusyRatio = null);

/// <summary>
/// <c>GET /jobs/:jobid/config</c>. The wire names are <c>jid</c>, <c>name</c> and <c>execution-config</c> (Flink's
/// custom serializer), not the spec's <c>jobId</c>/<c>jobName</c>/<c>executionConfigInfo</c>.
/// </summary>
internal sealed record JobConfigDto(
    [property: JsonPropertyName("jid")] string Jid,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("execution-config")] ExecutionConfigDto? ExecutionConfig = null);

/// <summary>The execution configuration of <see cref="JobConfigDto"/>.</summary>
internal sealed record ExecutionConfigDto(
    [property: JsonPropertyName("restart-strategy")] string? RestartStrategy = null,
    [property: JsonPropertyName("job-parallelism")] int? JobParallelism = null,
    [property: JsonPropertyName("user-config")] IReadOnlyDictionary<string, string>? UserConfig = null);

/// <summary>Per-vertex parallelism bounds of <c>/jobs/:jobid/resource-requirements</c> (the body is a map vertex id → this).</summary>
internal sealed record VertexRequirementDto(
    [property: JsonPropertyName("parallelism")] ParallelismBoundsDto Parallelism);

/// <summary>Lower and upper bound of a vertex's parallelism; -1 stands for the default (1, respectively the max parallelism).</summary>
internal sealed record ParallelismBoundsDto(
    [property: JsonPropertyName("lowerBound")] int LowerBound,
    [property: JsonPropertyName("upperBound")] int UpperBound);

/// <summary>Body of <c>POST /jars/:jarid/plan</c> (<c>JarPlanRequestBody</c>).</summary>
internal sealed record JarPlanRequestDto(
    [property: JsonPropertyName("parallelism")] int? Parallelism,
    [property: JsonPropertyName("programArgsList")] IReadOnlyList<string>? ProgramArgsList);

/// <summary>Answer of <c>POST /jars/:jarid/plan</c>: <c>{"plan":{…}}</c>.</summary>
internal sealed record JarPlanResponseDto(
    [property: JsonPropertyName("plan")] PlanDto Plan);

/// <summary>A JSON plan: its nodes are the job vertices.</summary>
internal sealed record PlanDto(
    [property: JsonPropertyName("nodes")] IReadOnlyList<PlanNodeDto> Nodes);

/// <summary>A node of a <see cref="PlanDto"/>.</summary>
internal sealed record PlanNodeDto(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("parallelism")] int Parallelism,
    [property: JsonPropertyName("description")] string? Description = null);
