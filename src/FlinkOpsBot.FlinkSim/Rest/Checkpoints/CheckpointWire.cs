using System.Text.Json.Serialization;

namespace FlinkOpsBot.FlinkSim.Rest.Checkpoints;

/// <summary>GET /jobs/:jobid/checkpoints (<c>CheckpointingStatistics</c>).</summary>
internal sealed record CheckpointingStatistics(
    [property: JsonPropertyName("counts")] CheckpointCounts Counts,
    [property: JsonPropertyName("summary")] CheckpointSummary Summary,
    [property: JsonPropertyName("latest")] LatestCheckpoints Latest,
    [property: JsonPropertyName("history")] IReadOnlyList<CheckpointStatistics> History);

/// <summary>Checkpoint counts since the job started.</summary>
internal sealed record CheckpointCounts(
    [property: JsonPropertyName("restored")] long Restored,
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("in_progress")] int InProgress,
    [property: JsonPropertyName("completed")] long Completed,
    [property: JsonPropertyName("failed")] long Failed);

/// <summary>Statistics over the completed checkpoints and savepoints.</summary>
internal sealed record CheckpointSummary(
    [property: JsonPropertyName("checkpointed_size")] StatsSummary CheckpointedSize,
    [property: JsonPropertyName("state_size")] StatsSummary StateSize,
    [property: JsonPropertyName("end_to_end_duration")] StatsSummary EndToEndDuration,
    [property: JsonPropertyName("alignment_buffered")] StatsSummary AlignmentBuffered,
    [property: JsonPropertyName("processed_data")] StatsSummary ProcessedData,
    [property: JsonPropertyName("persisted_data")] StatsSummary PersistedData);

/// <summary>
/// Min, max, average and percentiles of one statistic (<c>StatsSummaryDto</c>). With no sample Flink writes 0 for
/// min/max/avg and <c>"NaN"</c> (a string) for the percentiles.
/// </summary>
internal sealed record StatsSummary(
    [property: JsonPropertyName("min")] long Min,
    [property: JsonPropertyName("max")] long Max,
    [property: JsonPropertyName("avg")] long Avg,
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p90")] double P90,
    [property: JsonPropertyName("p95")] double P95,
    [property: JsonPropertyName("p99")] double P99,
    [property: JsonPropertyName("p999")] double P999);

/// <summary>The latest checkpoint of each kind; each is null when there is none.</summary>
internal sealed record LatestCheckpoints(
    [property: JsonPropertyName("completed")] CheckpointStatistics? Completed,
    [property: JsonPropertyName("savepoint")] CheckpointStatistics? Savepoint,
    [property: JsonPropertyName("failed")] CheckpointStatistics? Failed,
    [property: JsonPropertyName("restored")] RestoredCheckpointStatistics? Restored);

/// <summary>
/// One checkpoint or savepoint: polymorphic on <c>className</c> (<c>completed</c>, <c>failed</c>, <c>in_progress</c>).
/// Completed ones add <c>external_path</c> and <c>discarded</c>, failed ones <c>failure_timestamp</c> and
/// <c>failure_message</c>. <c>tasks</c> is empty in this endpoint (the per-vertex stats are in the details endpoint).
/// </summary>
internal sealed record CheckpointStatistics(
    [property: JsonPropertyName("className")] string ClassName,
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("is_savepoint")] bool IsSavepoint,
    [property: JsonPropertyName("savepointFormat")] string? SavepointFormat,
    [property: JsonPropertyName("trigger_timestamp")] long TriggerTimestamp,
    [property: JsonPropertyName("latest_ack_timestamp")] long LatestAckTimestamp,
    [property: JsonPropertyName("checkpointed_size")] long CheckpointedSize,
    [property: JsonPropertyName("state_size")] long StateSize,
    [property: JsonPropertyName("end_to_end_duration")] long EndToEndDuration,
    [property: JsonPropertyName("alignment_buffered")] long AlignmentBuffered,
    [property: JsonPropertyName("processed_data")] long ProcessedData,
    [property: JsonPropertyName("persisted_data")] long PersistedData,
    [property: JsonPropertyName("num_subtasks")] int NumSubtasks,
    [property: JsonPropertyName("num_acknowledged_subtasks")] int NumAcknowledgedSubtasks,
    [property: JsonPropertyName("checkpoint_type")] string CheckpointType,
    [property: JsonPropertyName("tasks")] IReadOnlyDictionary<string, string> Tasks,
    [property: JsonPropertyName("external_path"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ExternalPath,
    [property: JsonPropertyName("discarded"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Discarded,
    [property: JsonPropertyName("failure_timestamp"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? FailureTimestamp,
    [property: JsonPropertyName("failure_message"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FailureMessage);

/// <summary>The snapshot the running job was restored from.</summary>
internal sealed record RestoredCheckpointStatistics(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("restore_timestamp")] long RestoreTimestamp,
    [property: JsonPropertyName("is_savepoint")] bool IsSavepoint,
    [property: JsonPropertyName("external_path")] string ExternalPath);

/// <summary>GET /jobs/:jobid/checkpoints/config (<c>CheckpointConfigInfo</c>); durations in milliseconds.</summary>
internal sealed record CheckpointConfigInfo(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("interval")] long Interval,
    [property: JsonPropertyName("timeout")] long Timeout,
    [property: JsonPropertyName("min_pause")] long MinPause,
    [property: JsonPropertyName("max_concurrent")] long MaxConcurrent,
    [property: JsonPropertyName("externalization")] ExternalizedCheckpointInfo Externalization,
    [property: JsonPropertyName("state_backend")] string StateBackend,
    [property: JsonPropertyName("checkpoint_storage")] string CheckpointStorage,
    [property: JsonPropertyName("unaligned_checkpoints")] bool UnalignedCheckpoints,
    [property: JsonPropertyName("tolerable_failed_checkpoints")] int TolerableFailedCheckpoints,
    [property: JsonPropertyName("aligned_checkpoint_timeout")] long AlignedCheckpointTimeout,
    [property: JsonPropertyName("checkpoints_after_tasks_finish")] bool CheckpointsAfterTasksFinish,
    [property: JsonPropertyName("state_changelog_enabled")] bool StateChangelogEnabled,
    [property: JsonPropertyName("changelog_periodic_materialization_interval")] long ChangelogPeriodicMaterializationInterval,
    [property: JsonPropertyName("changelog_storage")] string ChangelogStorage);

/// <summary>Whether completed checkpoints are retained, and whether cancelling deletes them.</summary>
internal sealed record ExternalizedCheckpointInfo(
    [property: JsonPropertyName("enabled")] bool Enabled,
    [property: JsonPropertyName("delete_on_cancellation")] bool DeleteOnCancellation);
