namespace FlinkOpsBot.FlinkSim.Engine;

/// <summary>The effective mutations and what the duplicate rules need to know about them. Used under the simulation's lock.</summary>
internal sealed class MutationLedger
{
    private readonly List<Entry> _entries = [];

    public void Add(SimMutation mutation, SavepointOperation? operation = null) => _entries.Add(new Entry(mutation, operation));

    /// <summary>Fills in the savepoint path of the mutation that started <paramref name="operation"/>.</summary>
    public void SavepointWritten(SavepointOperation operation, string location)
    {
        foreach (var entry in _entries.Where(entry => ReferenceEquals(entry.Operation, operation)))
        {
            entry.Mutation = entry.Mutation with { SavepointPath = location };
        }
    }

    public List<SimMutation> Snapshot() => _entries.Select(entry => entry.Mutation).ToList();

    public List<SimDuplicate> Duplicates()
    {
        var duplicates = new List<SimDuplicate>();

        foreach (var job in _entries.Where(e => e.Mutation.Kind is SimMutationKind.StopWithSavepoint or SimMutationKind.CancelWithSavepoint)
            .GroupBy(e => e.Mutation.JobId))
        {
            var stops = job.ToList();
            var repeated = stops.Where((stop, i) => stops.Take(i).Any(earlier => !FailedBy(earlier, stop.Mutation.Time))).ToList();
            if (repeated.Count == 0) continue;
            var ids = string.Join(", ", stops.Select(stop => stop.Mutation.TriggerId));
            duplicates.Add(new SimDuplicate(
                "stop",
                $"job {job.Key} got {stops.Count} stops with a savepoint (trigger ids {ids}); {repeated.Count} started while an earlier one had not failed",
                stops.Select(stop => stop.Mutation).ToList()));
        }

        foreach (var restore in _entries.Select(e => e.Mutation)
            .Where(m => m.Kind is SimMutationKind.JarRun && m.SavepointPath is not null)
            .GroupBy(m => (m.SavepointPath, m.JarId))
            .Where(group => group.Count() > 1))
        {
            var jobs = string.Join(", ", restore.Select(m => m.ResultJobId));
            duplicates.Add(new SimDuplicate(
                "restore", $"{restore.Count()} jobs ({jobs}) were started from {restore.Key.SavepointPath} with jar {restore.Key.JarId}", restore.ToList()));
        }

        foreach (var cancels in _entries.Select(e => e.Mutation)
            .Where(m => m.Kind is SimMutationKind.Cancel)
            .GroupBy(m => m.JobId)
            .Where(group => group.Count() > 1))
        {
            duplicates.Add(new SimDuplicate("cancel", $"job {cancels.Key} was cancelled {cancels.Count()} times", cancels.ToList()));
        }

        return duplicates;
    }

    // Whether the operation of a stop had failed by the time another one started: a retry after a failure is fine.
    private static bool FailedBy(Entry stop, DateTimeOffset time) =>
        stop.Operation is { Failure: not null, CompletedAt: { } completed } && completed <= time;

    private sealed class Entry(SimMutation mutation, SavepointOperation? operation)
    {
        public SimMutation Mutation { get; set; } = mutation;
        public SavepointOperation? Operation { get; } = operation;
    }
}
