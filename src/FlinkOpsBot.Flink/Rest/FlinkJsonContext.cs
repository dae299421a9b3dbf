using System.Text.Json.Serialization;

namespace FlinkOpsBot.Flink.Rest;

/// <summary>
/// Source-generated serialization of Flink's wire shapes. Unknown fields are ignored (newer Flink versions add
/// fields); a missing required field or a null where the DTO does not allow one fails the read, so a changed shape
/// surfaces as an error instead of as zeros; nulls are not written, so an optional request field Flink should
/// default is left out.
/// </summary>
[JsonSourceGenerationOptions(
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ClusterOverviewDto))]
[JsonSerializable(typeof(IReadOnlyList<ConfigEntryDto>))]
[JsonSerializable(typeof(JarListDto))]
[JsonSerializable(typeof(JarRunRequestDto))]
[JsonSerializable(typeof(JarRunResponseDto))]
[JsonSerializable(typeof(ErrorResponseDto))]
[JsonSerializable(typeof(JobsOverviewDto))]
[JsonSerializable(typeof(JobDetailsDto))]
[JsonSerializable(typeof(JobExceptionsDto))]
[JsonSerializable(typeof(CheckpointingStatisticsDto))]
[JsonSerializable(typeof(CheckpointConfigDto))]
[JsonSerializable(typeof(StopWithSavepointRequestDto))]
[JsonSerializable(typeof(SavepointStatusDto))]
[JsonSerializable(typeof(SavepointTriggerRequestDto))]
[JsonSerializable(typeof(IReadOnlyList<MetricDto>))]
[JsonSerializable(typeof(IReadOnlyList<AggregatedMetricDto>))]
[JsonSerializable(typeof(BackPressureDto))]
[JsonSerializable(typeof(JobConfigDto))]
[JsonSerializable(typeof(Dictionary<string, VertexRequirementDto>))]
[JsonSerializable(typeof(JarPlanRequestDto))]
[JsonSerializable(typeof(JarPlanResponseDto))]
internal sealed partial class FlinkJsonContext : JsonSerializerContext;
