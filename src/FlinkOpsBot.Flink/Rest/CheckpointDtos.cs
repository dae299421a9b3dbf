using System.Text.Json.Serialization;

namespace FlinkOpsBot.Flink.Rest;

// Wire shapes of Flink REST v1 checkpoint endpoints (flink-rest-api.md §5). Snake case on these endpoints;
// times and durations are milliseconds.

/// <summary><c>GET /jobs/:jobid/checkpoints</c>.</summary>
internal sealed record CheckpointingStatisticsDto(
    [property: JsonPropertyName("counts")] CheckpointCountsDto Counts,
    [property: JsonPropertyName("latest")] LatestCheckpointsDto Latest,
    [property: JsonPropertyName("history")] IReadOnlyList<CheckpointStatisticsDto> History);

/// <summary>Checkpoint counters since the job started.</summary>
internal sealed record CheckpointCountsDto(
    [property: JsonPropertyName("restored")] long Restored,
    [property: JsonPropertyName("completed")] long Completed,
    [property: JsonPropertyName("failed")] long Failed);

/// <summary>The latest checkpoint of each kind; each may be null.</summary>
internal sealed record LatestCheckpointsDto(
    [property: JsonPropertyName("completed")] CheckpointStatisticsDto? Completed = null,
    [property: JsonPropertyName("failed")] CheckpointStatisticsDto? Failed = null,
    [property: JsonPropertyName("restored")] RestoredCheckpointDto? Restored = null);

/// <summary>
/// One checkpoint. On the wire this is polymorphic (<c>className</c> = completed / failed / in_progress); the
/// fields of every kind are read into one record, those of the other kinds left null.
/// </summary>
internal sealed record CheckpointStatisticsDto(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("is_savepoint")] bool IsSavepoint,
    [property: JsonPropertyName("trigger_timestamp")] long TriggerTimestamp,
    [property: JsonPropertyName("latest_ack_timestamp")] long? LatestAckTimestamp = null,
    [property: JsonPropertyName("external_path")] string? ExternalPath = null,
    [property: JsonPropertyName("failure_message")] string? FailureMessage = null,
    [property: JsonPropertyName("state_size")] long? StateSize = null,
    [property: JsonPropertyName("checkpointed_size")] long? CheckpointedSize = null);

/// <summary>The checkpoint or savepoint the job last restored from.</summary>
internal sealed record RestoredCheckpointDto(
    [property: JsonPropertyName("restore_timestamp")] long RestoreTimestamp,
    [property: JsonPropertyName("external_path")] string? ExternalPath = null);

/// <summary><c>GET /jobs/:jobid/checkpoints/config</c>.</summary>
internal sealed record CheckpointConfigDto(
    [property: JsonPropertyName("interval")] long Interval,
    [property: JsonPropertyName("timeout")] long Timeout,
    [property: JsonPropertyName("tolerable_failed_checkpoints")] int TolerableFailedCheckpoints);
