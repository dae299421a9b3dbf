using FlinkOpsBot.FlinkSim.Engine;

namespace FlinkOpsBot.FlinkSim;

/// <summary>
/// Every mutating request the cluster received, oldest first, so that a test can prove that a retry did not do a
/// thing twice. Thread-safe.
/// </summary>
public sealed class SimCallLog
{
    private readonly Simulation _simulation;

    internal SimCallLog(Simulation simulation) => _simulation = simulation;

    /// <summary>A snapshot of all calls so far.</summary>
    public IReadOnlyList<SimCall> All => _simulation.Sync(sim => sim.Calls.ToList());

    /// <summary>
    /// How many calls used <paramref name="method"/> (case-insensitive) on a path starting with
    /// <paramref name="pathPrefix"/> (without <c>/v1</c>), e.g. <c>Count("POST", $"/jobs/{id}/stop")</c>.
    /// </summary>
    public int Count(string method, string pathPrefix) => _simulation.Sync(sim => sim.Calls.Count(call =>
        string.Equals(call.Method, method, StringComparison.OrdinalIgnoreCase)
        && call.Path.StartsWith(pathPrefix, StringComparison.Ordinal)));
}
