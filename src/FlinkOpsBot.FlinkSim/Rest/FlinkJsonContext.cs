using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using FlinkOpsBot.FlinkSim.Rest.Checkpoints;
using FlinkOpsBot.FlinkSim.Rest.Cluster;
using FlinkOpsBot.FlinkSim.Rest.Jars;
using FlinkOpsBot.FlinkSim.Rest.Jobs;
using FlinkOpsBot.FlinkSim.Rest.Metrics;
using FlinkOpsBot.FlinkSim.Rest.Savepoints;

namespace FlinkOpsBot.FlinkSim.Rest;

/// <summary>Body of every error response: Flink's <c>ErrorResponseBody</c>.</summary>
internal sealed record ErrorResponseBody([property: JsonPropertyName("errors")] IReadOnlyList<string> Errors);

/// <summary>Source-generated JSON for the wire records; use <see cref="Wire"/>.</summary>
[JsonSerializable(typeof(ErrorResponseBody))]
[JsonSerializable(typeof(DashboardConfiguration))]
[JsonSerializable(typeof(ClusterOverview))]
[JsonSerializable(typeof(IReadOnlyList<ConfigurationEntry>))]
[JsonSerializable(typeof(JobIdsWithStatusOverview))]
[JsonSerializable(typeof(MultipleJobsDetails))]
[JsonSerializable(typeof(JobDetailsInfo))]
[JsonSerializable(typeof(JobStatusInfo))]
[JsonSerializable(typeof(JobExceptionsInfoWithHistory))]
[JsonSerializable(typeof(CheckpointingStatistics))]
[JsonSerializable(typeof(CheckpointConfigInfo))]
[JsonSerializable(typeof(SavepointTriggerRequestBody))]
[JsonSerializable(typeof(StopWithSavepointRequestBody))]
[JsonSerializable(typeof(TriggerResponse))]
[JsonSerializable(typeof(AsynchronousOperationResult))]
[JsonSerializable(typeof(JarListInfo))]
[JsonSerializable(typeof(JarRunRequestBody))]
[JsonSerializable(typeof(JarRunResponseBody))]
[JsonSerializable(typeof(JarPlanRequestBody))]
[JsonSerializable(typeof(JarPlanResponseBody))]
[JsonSerializable(typeof(IReadOnlyList<MetricValue>))]
[JsonSerializable(typeof(IReadOnlyList<AggregatedMetric>))]
[JsonSerializable(typeof(BackPressureInfo))]
[JsonSerializable(typeof(JobConfigInfo))]
[JsonSerializable(typeof(Dictionary<string, VertexResourceRequirements>))]
internal sealed partial class FlinkJsonContext : JsonSerializerContext
{
    /// <summary>
    /// JSON as Flink's Jackson writes it: nulls are written unless a property says otherwise, NaN is the string
    /// <c>"NaN"</c>, and only what JSON requires is escaped (<c>\"</c>, not <c>\u0022</c>).
    /// </summary>
    public static FlinkJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
