using FlinkOpsBot.Core.Identity;

namespace FlinkOpsBot.Core.Storage;

/// <summary>
/// A lock a person took on a job with <c>/flink lock</c>: while it lasts, runs of mutating recipes on the job by anyone
/// else are refused; the holder's own runs proceed. It ends when the holder unlocks it, when it expires (decided at
/// read time against the clock, see <see cref="IsExpiredAt"/>), or when an approved steal releases or takes it over.
/// Stored beside, not instead of, the run lock (<see cref="JobLock"/>) that a run in flight holds.
/// </summary>
/// <param name="Cluster">The configured cluster's name.</param>
/// <param name="JobName">The Flink job name (locks are by name, so they survive the JobID changing on an upgrade).</param>
/// <param name="Holder">Who holds it (verified identity; decisions compare <see cref="Actor.Key"/>).</param>
/// <param name="Reason">Why, as the holder typed it; shown to everyone the lock blocks.</param>
/// <param name="AcquiredAt">When it was taken or last renewed (UTC).</param>
/// <param name="ExpiresAt">When it stops blocking (UTC).</param>
public sealed record ExplicitLock(string Cluster, string JobName, Actor Holder, string Reason, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt)
{
    /// <summary>True from <see cref="ExpiresAt"/> on: an expired lock blocks nobody and may be overwritten or deleted.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>
    /// True when <paramref name="other"/> is this very lock as stored: same job, same holder (by identity key), taken at
    /// the same instant. A renewal or a new lock by the same person is a different lock. Conditional replacements
    /// (<see cref="IJobLockStore.ReplaceExplicitAsync"/>) compare with this.
    /// </summary>
    public bool IsSameLockAs(ExplicitLock other) =>
        Cluster == other.Cluster && JobName == other.JobName && Holder.IsSamePersonAs(other.Holder) && AcquiredAt == other.AcquiredAt;
}
