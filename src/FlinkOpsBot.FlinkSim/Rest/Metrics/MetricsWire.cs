using System.Text.Json.Serialization;

namespace FlinkOpsBot.FlinkSim.Rest.Metrics;

/// <summary>
/// One metric of GET /jobs/:jobid/metrics: the body is a top-level array (the spec's <c>{"metrics":[…]}</c> is not what
/// Flink sends); <c>value</c> is a string and absent when only the available ids are listed.
/// </summary>
internal sealed record MetricValue(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Value);

/// <summary>One metric of GET …/subtasks/metrics with <c>agg</c>: only the requested aggregations are written.</summary>
internal sealed record AggregatedMetric(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("min"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Min,
    [property: JsonPropertyName("max"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Max,
    [property: JsonPropertyName("avg"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Avg,
    [property: JsonPropertyName("sum"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Sum,
    [property: JsonPropertyName("skew"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Skew);

/// <summary>
/// GET /jobs/:jobid/vertices/:vertexid/backpressure (<c>JobVertexBackPressureInfo</c>). While Flink has no metrics for the
/// vertex (the job is not running) only <c>status: deprecated</c> is written. <c>backpressure-level</c> is the alias
/// Flink still writes next to <c>backpressureLevel</c>.
/// </summary>
internal sealed record BackPressureInfo(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("backpressureLevel"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BackpressureLevel,
    [property: JsonPropertyName("backpressure-level"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BackpressureLevelAlias,
    [property: JsonPropertyName("end-timestamp"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? EndTimestamp,
    [property: JsonPropertyName("subtasks"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SubtaskBackPressureInfo>? Subtasks);

/// <summary>One subtask of <see cref="BackPressureInfo"/>; ratios are 0–1.</summary>
internal sealed record SubtaskBackPressureInfo(
    [property: JsonPropertyName("subtask")] int Subtask,
    [property: JsonPropertyName("attempt-number")] int AttemptNumber,
    [property: JsonPropertyName("backpressureLevel")] string BackpressureLevel,
    [property: JsonPropertyName("backpressure-level")] string BackpressureLevelAlias,
    [property: JsonPropertyName("ratio")] double Ratio,
    [property: JsonPropertyName("idleRatio")] double IdleRatio,
    [property: JsonPropertyName("busyRatio")] double BusyRatio,
    [property: JsonPropertyName("other-concurrent-attempts")] IReadOnlyList<SubtaskBackPressureInfo> OtherConcurrentAttempts);

/// <summary>GET /jobs/:jobid/config (<c>JobConfigInfo</c>): Flink's serializer writes <c>jid</c>, <c>name</c>, <c>execution-config</c>.</summary>
internal sealed record JobConfigInfo(
    [property: JsonPropertyName("jid")] string Jid,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("execution-config")] ExecutionConfigInfo ExecutionConfig);

/// <summary>The execution configuration of a job.</summary>
internal sealed record ExecutionConfigInfo(
    [property: JsonPropertyName("execution-mode")] string ExecutionMode,
    [property: JsonPropertyName("restart-strategy")] string RestartStrategy,
    [property: JsonPropertyName("job-parallelism")] int JobParallelism,
    [property: JsonPropertyName("object-reuse-mode")] bool ObjectReuseMode,
    [property: JsonPropertyName("user-config")] IReadOnlyDictionary<string, string> UserConfig);

/// <summary>One vertex of the resource requirements body (a map vertex id → this).</summary>
internal sealed record VertexResourceRequirements(
    [property: JsonPropertyName("parallelism")] ParallelismBounds? Parallelism);

/// <summary>Bounds of a vertex's parallelism; -1 means the default (lower 1, upper the max parallelism).</summary>
internal sealed record ParallelismBounds(
    [property: JsonPropertyName("lowerBound")] int LowerBound,
    [property: JsonPropertyName("upperBound")] int UpperBound);
