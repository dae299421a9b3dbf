using FlinkOpsBot.Core.Platforms;

namespace FlinkOpsBot.Flink.Rest;

/// <summary>Maps Flink's wire shapes to Core's platform models and back; the only place that knows both.</summary>
internal static class FlinkMapping
{
    /// <summary>The savepoint directory key since Flink 1.20, and the older key it replaced.</summary>
    private static readonly string[] SavepointDirectoryKeys = ["execution.checkpointing.savepoint-dir", "state.savepoints.dir"];

    /// <summary>The path Flink reports for a checkpoint that was not written to durable storage.</summary>
    private const string NotExternallyAddressable = "<checkpoint-not-externally-addressable>";

    private const string Completed = "COMPLETED";

    public static ClusterOverview ToOverview(ClusterOverviewDto dto) =>
        new(dto.FlinkVersion, dto.TaskManagers, dto.SlotsTotal, dto.SlotsAvailable);

    public static IReadOnlyList<JobSummary> ToJobSummaries(JobsOverviewDto dto) =>
        [.. dto.Jobs.Select(j => new JobSummary(j.Jid, j.Name, new JobStatus(j.State), At(j.StartTime), AtOrNull(j.EndTime)))];

    public static JobDetails ToJobDetails(JobDetailsDto dto) => new(
        dto.Jid,
        dto.Name,
        new JobStatus(dto.State),
        At(dto.StartTime),
        AtOrNull(dto.EndTime),
        [.. dto.Vertices.Select(v => new JobVertex(v.Id, v.Name, v.Parallelism, v.MaxParallelism))],
        (dto.Timestamps ?? new Dictionary<string, long>())
            .Where(t => t.Value > 0)
            .ToDictionary(t => t.Key, t => At(t.Value)));

    public static CheckpointStats ToCheckpointStats(CheckpointingStatisticsDto dto) => new(
        dto.Counts.Completed,
        dto.Counts.Failed,
        dto.Counts.Restored,
        dto.Latest.Completed is { } completed ? ToCheckpointInfo(completed) : null,
        dto.Latest.Failed is { } failed ? ToCheckpointInfo(failed) : null,
        ExternalPathOrNull(dto.Latest.Restored?.ExternalPath),
        dto.Latest.Restored is { } restored ? At(restored.RestoreTimestamp) : null,
        [.. dto.History.Select(ToCheckpointInfo)]);

    public static CheckpointConfig ToCheckpointConfig(CheckpointConfigDto dto) =>
        new(TimeSpan.FromMilliseconds(dto.Interval), TimeSpan.FromMilliseconds(dto.Timeout), dto.TolerableFailedCheckpoints);

    public static IReadOnlyList<JobException> ToJobExceptions(JobExceptionsDto dto, int max) =>
        [.. (dto.ExceptionHistory?.Entries ?? []).Take(max).Select(e => new JobException(
            FlinkErrors.FirstLine(string.IsNullOrWhiteSpace(e.Stacktrace) ? e.ExceptionName : e.Stacktrace),
            At(e.Timestamp),
            e.TaskName,
            RootCause(e.Stacktrace)))];

    /// <summary>
    /// The innermost <c>Caused by:</c> line of a Java stack trace, made readable as <see cref="FlinkErrors.FirstLine"/>
    /// does; null when the trace has no cause.
    /// </summary>
    public static string? RootCause(string? stackTrace)
    {
        const string CausedBy = "Caused by:";
        if (string.IsNullOrEmpty(stackTrace)) return null;
        string? innermost = null;
        foreach (var line in stackTrace.AsSpan().EnumerateLines())
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith(CausedBy, StringComparison.Ordinal)) innermost = trimmed[CausedBy.Length..].Trim().ToString();
        }
        return string.IsNullOrEmpty(innermost) ? null : FlinkErrors.FirstLine(innermost);
    }

    public static string? ToDefaultSavepointDirectory(IReadOnlyList<ConfigEntryDto> entries) =>
        SavepointDirectoryKeys
            .Select(key => entries.FirstOrDefault(e => e.Key == key)?.Value)
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));

    public static IReadOnlyList<JarInfo> ToJars(JarListDto dto) =>
        [.. dto.Files.Select(f => new JarInfo(f.Id, f.Name, At(f.Uploaded)))];

    /// <summary>
    /// COMPLETED covers success (a location) and failure (a failure cause); any other status id, including one a
    /// newer Flink may add, reads as still in progress, and the caller's deadline bounds the wait.
    /// </summary>
    public static SavepointOperation ToSavepointOperation(SavepointStatusDto dto) => dto switch
    {
        { Status.Id: Completed, Operation.Location: { } location } => new(SavepointOperationStatus.Completed, Location: location),
        { Status.Id: Completed } => new(SavepointOperationStatus.Failed, Failure: FailureLine(dto.Operation?.FailureCause)),
        _ => new(SavepointOperationStatus.InProgress),
    };

    public static JarRunRequestDto ToDto(JarRunRequest request) => new(
        request.JobId,
        request.Parallelism,
        request.SavepointPath,
        request.AllowNonRestoredState,
        request.ProgramArgs,
        string.IsNullOrWhiteSpace(request.JobName) ? null : new Dictionary<string, string> { [PipelineName] = request.JobName });

    /// <summary>The configuration key that names a job (Flink 1.17+ takes it per job in the jar run's <c>flinkConfiguration</c>).</summary>
    public const string PipelineName = "pipeline.name";

    public static IReadOnlyDictionary<string, string> ToConfiguration(IReadOnlyList<ConfigEntryDto> entries)
    {
        var configuration = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries) configuration[entry.Key] = entry.Value ?? "";
        return configuration;
    }

    public static JobConfiguration ToJobConfiguration(JobConfigDto dto) => new(
        string.IsNullOrWhiteSpace(dto.ExecutionConfig?.RestartStrategy) ? null : dto.ExecutionConfig.RestartStrategy,
        dto.ExecutionConfig?.UserConfig ?? new Dictionary<string, string>());

    /// <summary>The value of metric <paramref name="id"/> as a whole number; null when Flink did not send it (unknown ids are omitted).</summary>
    public static long? MetricValue(IReadOnlyList<MetricDto> metrics, string id) =>
        metrics.FirstOrDefault(m => m.Id == id)?.Value is { } text
        && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
        && double.IsFinite(value)
            ? (long)value
            : null;

    public static IReadOnlyList<ResourceRequirement> ToResourceRequirements(IReadOnlyDictionary<string, VertexRequirementDto> dto) =>
        [.. dto.Select(v => new ResourceRequirement(v.Key, v.Value.Parallelism.LowerBound, v.Value.Parallelism.UpperBound))];

    public static Dictionary<string, VertexRequirementDto> ToDto(IReadOnlyList<ResourceRequirement> requirements) =>
        requirements.ToDictionary(r => r.VertexId, r => new VertexRequirementDto(new ParallelismBoundsDto(r.Lower, r.Upper)), StringComparer.Ordinal);

    public static JarPlan ToJarPlan(JarPlanResponseDto dto) =>
        new([.. dto.Plan.Nodes.Select(n => new JarPlanNode(n.Id, n.Description ?? "", n.Parallelism))]);

    private static CheckpointInfo ToCheckpointInfo(CheckpointStatisticsDto dto) => new(
        dto.Id,
        dto.Status,
        dto.IsSavepoint,
        At(dto.TriggerTimestamp),
        dto.Status == Completed && dto.LatestAckTimestamp is { } acknowledged ? At(acknowledged) : null,
        ExternalPathOrNull(dto.ExternalPath),
        dto.FailureMessage is { } message ? FlinkErrors.FirstLine(message) : null,
        dto.StateSize ?? dto.CheckpointedSize);

    private static string FailureLine(FailureCauseDto? cause) =>
        (cause?.StackTrace ?? cause?.Class) is { } text && !string.IsNullOrWhiteSpace(text)
            ? FlinkErrors.FirstLine(text)
            : "Flink reported the operation finished, with neither a savepoint location nor a failure cause.";

    private static string? ExternalPathOrNull(string? path) =>
        string.IsNullOrEmpty(path) || path == NotExternallyAddressable ? null : path;

    private static DateTimeOffset At(long epochMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(epochMilliseconds);

    /// <summary>Flink writes -1 for "not yet" (e.g. the end time of a running job).</summary>
    private static DateTimeOffset? AtOrNull(long epochMilliseconds) => epochMilliseconds > 0 ? At(epochMilliseconds) : null;

    /// <summary>The metric Flink 1.20 reports per subtask for the time spent processing, 0–1000 ms per second.</summary>
    public const string BusyTime = "busyTimeMsPerSecond";

    /// <summary>The metric Flink 1.20 reports per subtask for the time blocked by downstream, 0–1000 ms per second.</summary>
    public const string BackPressuredTime = "backPressuredTimeMsPerSecond";

    /// <summary>FLIP-33's source metric, registered per source operator as <c>&lt;operator&gt;.pendingRecords</c>.</summary>
    public const string PendingRecords = "pendingRecords";

    /// <summary>Whether a subtask metric id is a source's records lag (<c>pendingRecords</c>, bare or under its operator's name).</summary>
    public static bool IsPendingRecords(string metricId) =>
        metricId == PendingRecords || metricId.EndsWith("." + PendingRecords, StringComparison.Ordinal);

    /// <summary>
    /// One vertex's load from its backpressure answer and its aggregated subtask metrics. The level is <c>unknown</c>
    /// while Flink has no metrics for the vertex (status <c>deprecated</c>); the back-pressured ratio falls back to the
    /// metric when the backpressure answer has none; the records lag sums every pendingRecords metric of the vertex.
    /// </summary>
    public static VertexLoad ToVertexLoad(JobVertex vertex, BackPressureDto? backPressure, IReadOnlyList<AggregatedMetricDto> metrics)
    {
        var sampled = backPressure is { Status: "ok", BackpressureLevel: { Length: > 0 } };
        var level = sampled ? backPressure!.BackpressureLevel!.ToLowerInvariant() : "unknown";
        var ratio = sampled && backPressure!.Subtasks is { Count: > 0 } subtasks && subtasks.Any(s => s.Ratio is not null)
            ? subtasks.Max(s => s.Ratio ?? 0)
            : metrics.FirstOrDefault(m => m.Id == BackPressuredTime)?.Max / 1000;
        var busy = metrics.FirstOrDefault(m => m.Id == BusyTime)?.Max;
        var lag = metrics.Where(m => IsPendingRecords(m.Id) && m.Sum is not null).Select(m => m.Sum!.Value).ToList();
        return new VertexLoad(vertex.Id, vertex.Name, vertex.Parallelism, level, ratio, busy, lag.Count == 0 ? null : (long)lag.Sum());
    }
}
