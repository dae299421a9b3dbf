namespace FlinkOpsBot.Core.Commands;

public abstract partial record ParsedCommand
{
    /// <summary><c>lock &lt;job&gt; --reason "…" [--for 1h] [--cluster NAME]</c>: take (or renew) an explicit lock.</summary>
    /// <param name="Job">The job name or 32-hex JobID as typed.</param>
    /// <param name="Cluster">The cluster, or null for the default one.</param>
    /// <param name="Reason">Why (one line, at most <see cref="FlinkOpsBot.Core.Locks.ExplicitLocks.MaxReasonLength"/> characters).</param>
    /// <param name="Duration">How long it lasts, between <see cref="FlinkOpsBot.Core.Locks.ExplicitLocks.MinDuration"/> and <see cref="FlinkOpsBot.Core.Locks.ExplicitLocks.MaxDuration"/>.</param>
    public sealed record Lock(string Job, string? Cluster, string Reason, TimeSpan Duration) : ParsedCommand;

    /// <summary><c>unlock &lt;job&gt; [--cluster NAME]</c>: the holder releases their lock.</summary>
    /// <param name="Job">The job name or 32-hex JobID as typed.</param>
    /// <param name="Cluster">The cluster, or null for the default one.</param>
    public sealed record Unlock(string Job, string? Cluster) : ParsedCommand;

    /// <summary><c>locks [--cluster NAME]</c>: explicit locks and run locks, with holder, reason, age and expiry.</summary>
    /// <param name="Cluster">Only this cluster's locks, or null for all.</param>
    public sealed record Locks(string? Cluster) : ParsedCommand;

    /// <summary>
    /// <c>unlock &lt;job&gt; --steal</c>, <c>lock &lt;job&gt; --steal</c> or <c>steal-lock &lt;job&gt; [--take]</c>: start a
    /// <c>steal-lock</c> run that releases (or, with <paramref name="Take"/>, takes over) someone else's lock once approved.
    /// </summary>
    /// <param name="Job">The job name or 32-hex JobID as typed.</param>
    /// <param name="Cluster">The cluster, or null for the default one.</param>
    /// <param name="Take">True to take the lock over for the requester; false to release it.</param>
    /// <param name="Reason">Why, or null.</param>
    /// <param name="For">With <paramref name="Take"/>, how long the new lock lasts as typed (validated), or null for the default.</param>
    public sealed record StealLock(string Job, string? Cluster, bool Take, string? Reason, string? For) : ParsedCommand;
}
