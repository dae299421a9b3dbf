namespace FlinkOpsBot.FlinkSim.Engine;

/// <summary>The load of one subtask at a moment: Flink's task metrics, 0–1000 ms per second each.</summary>
internal sealed record SubtaskLoad(int Subtask, double BusyMsPerSecond, double BackPressuredMsPerSecond, double IdleMsPerSecond, long PendingRecords);

/// <summary>
/// How busy each vertex of a running job is. Every application (job name) has an input rate in records per second;
/// every vertex handles <see cref="JobVertex.Capacity"/> records per second per subtask. The job processes as much as
/// its slowest vertex allows; a vertex's busy time is its share of its capacity in use (at most 950 ms/s: a saturated
/// task still spends a little time waiting); the vertices upstream of a saturated one are back-pressured for most of the
/// rest of each second, and the source's <c>pendingRecords</c> (FLIP-33) grows by what it could not read. Used under
/// the simulation's lock.
/// </summary>
internal sealed class LoadModel
{
    /// <summary>Records per second per subtask of parallelism a new application gets: 40 % of the keyed process' capacity.</summary>
    private const double DefaultRatePerSubtask = 400;

    private const double SaturatedBusy = 950;

    private readonly Dictionary<string, (double Rate, DateTimeOffset Since)> _rates = new(StringComparer.Ordinal);

    /// <summary>Sets the input rate of the application <paramref name="jobName"/> from <paramref name="now"/> on.</summary>
    public void SetInputRate(string jobName, double recordsPerSecond, DateTimeOffset now) => _rates[jobName] = (recordsPerSecond, now);

    /// <summary>The input rate of the application, set on first use from the parallelism of its first job.</summary>
    public double InputRate(Job job)
    {
        if (!_rates.TryGetValue(job.Name, out var rate))
        {
            rate = (DefaultRatePerSubtask * job.Parallelism, job.StartTime);
            _rates[job.Name] = rate;
        }
        return rate.Rate;
    }

    /// <summary>
    /// Per vertex (in graph order), the load of each subtask now; null while the job is not RUNNING (Flink has no task
    /// metrics then). Subtask 0 is the busiest; the others are a little less busy, as keys never spread perfectly.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<SubtaskLoad>>? Of(Job job, DateTimeOffset now)
    {
        if (job.Status != JobStatus.Running || job.EnteredAt(JobStatus.Running) is not { } runningSince) return null;
        var rate = InputRate(job);
        var vertices = job.Graph.Vertices;
        var capacities = vertices.Select(v => v.Parallelism * v.Capacity).ToList();
        var throughput = Math.Min(rate, capacities.Min());
        var bottleneck = rate > capacities.Min() ? capacities.IndexOf(capacities.Min()) : -1;

        var laggingSince = runningSince > _rates[job.Name].Since ? runningSince : _rates[job.Name].Since;
        var behind = Math.Max(0, rate - throughput) * Math.Max(0, (now - laggingSince).TotalSeconds);
        var pending = (long)(rate * 0.2 + behind);

        return vertices.Select((vertex, index) =>
        {
            var busy = capacities[index] <= 0 ? 0 : Math.Min(SaturatedBusy, 1000 * throughput / capacities[index]);
            var backPressured = index < bottleneck ? (1000 - busy) * 0.9 : 0;
            return (IReadOnlyList<SubtaskLoad>)[.. Enumerable.Range(0, vertex.Parallelism).Select(subtask =>
            {
                var spread = 1 - 0.03 * subtask / Math.Max(1, vertex.Parallelism - 1);
                var subtaskBusy = Math.Round(busy * spread, 1);
                var subtaskBackPressured = Math.Round(backPressured * spread, 1);
                var idle = Math.Max(0, 1000 - subtaskBusy - subtaskBackPressured);
                var subtaskPending = index == 0 ? pending / vertex.Parallelism + (subtask < pending % vertex.Parallelism ? 1 : 0) : 0;
                return new SubtaskLoad(subtask, subtaskBusy, subtaskBackPressured, idle, subtaskPending);
            })];
        }).ToList();
    }

    /// <summary>Flink's backpressure level of a ratio (0–1): ok up to 0.10, low up to 0.5, high above.</summary>
    public static string Level(double ratio) => ratio <= 0.10 ? "ok" : ratio <= 0.5 ? "low" : "high";
}
