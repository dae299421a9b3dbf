using FlinkOpsBot.FlinkSim.Engine;

namespace FlinkOpsBot.FlinkSim;

/// <summary>
/// Every effective mutating operation, oldest first, so that a test can prove that nothing was done twice: a repeated
/// request with a trigger id Flink already knows is the same operation and adds nothing here. Thread-safe.
/// </summary>
public sealed class SimMutationLedger
{
    private readonly Simulation _simulation;

    internal SimMutationLedger(Simulation simulation) => _simulation = simulation;

    /// <summary>A snapshot of all mutations so far.</summary>
    public IReadOnlyList<SimMutation> All => _simulation.Sync(sim => sim.Mutations.Snapshot());

    /// <summary>The mutations that acted on or created the job with that JobID (either case).</summary>
    public IReadOnlyList<SimMutation> ForJob(string jobId) => All
        .Where(m => string.Equals(m.JobId, jobId, StringComparison.OrdinalIgnoreCase)
            || string.Equals(m.ResultJobId, jobId, StringComparison.OrdinalIgnoreCase))
        .ToList();

    /// <summary>
    /// What was done more than once (see <see cref="SimDuplicate.Rule"/>); empty when every operation was done at most
    /// once. A stop retried after the earlier one failed is not a duplicate, nor is a rollback that starts a different
    /// jar from the same savepoint.
    /// </summary>
    public IReadOnlyList<SimDuplicate> Duplicates() => _simulation.Sync(sim => sim.Mutations.Duplicates());
}
