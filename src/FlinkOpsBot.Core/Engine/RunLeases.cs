using System.Security.Cryptography;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.Core.Engine;

/// <summary>
/// Settings of the run leases, bound from the <c>Engine</c> configuration section (<c>Engine:LeaseOwner</c>,
/// <c>Engine:LeaseDuration</c>, <c>Engine:LeaseRenewal</c>).
/// </summary>
public sealed class RunLeaseOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string Section = "Engine";

    /// <summary>
    /// This engine instance's owner id as written into leases; null or blank (the default) means
    /// <see cref="RunLeases.NewOwnerId"/>: host name, process id and a random suffix. Two live instances must never
    /// share one. A stable id per replica (e.g. a StatefulSet pod's name) lets a replica restarted after a crash
    /// resume its own runs at once instead of waiting for their leases to expire.
    /// </summary>
    public string? LeaseOwner { get; set; }

    /// <summary>
    /// How long a claimed or renewed lease lasts (default 3 minutes). A host that dies without a graceful stop holds
    /// its runs this long at most (unless it comes back with the same <see cref="LeaseOwner"/>, which resumes them at
    /// once). A tick starts with at least <see cref="EffectiveRenewal"/> left, so that must cover the longest single
    /// tick: a jar run, which Flink answers only after the job's main method ran (the default 90 s renewal covers
    /// the Flink client's default 60 s jar-run timeout).
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// A held lease is renewed before a tick when less than this remains; null (the default) means half of
    /// <see cref="LeaseDuration"/>. Must be positive and shorter than <see cref="LeaseDuration"/>.
    /// </summary>
    public TimeSpan? LeaseRenewal { get; set; }

    /// <summary>The renewal threshold in use: <see cref="LeaseRenewal"/>, or half of <see cref="LeaseDuration"/> when unset.</summary>
    public TimeSpan EffectiveRenewal => LeaseRenewal ?? LeaseDuration / 2;

    /// <summary>Why the options cannot be used, as one line naming the setting, or null when they can.</summary>
    public string? Problem() =>
        LeaseDuration <= TimeSpan.Zero ? $"Engine:LeaseDuration must be positive (got {LeaseDuration}); e.g. 00:03:00."
        : LeaseRenewal is { } renewal && (renewal <= TimeSpan.Zero || renewal >= LeaseDuration)
            ? $"Engine:LeaseRenewal must be positive and shorter than Engine:LeaseDuration ({LeaseDuration}); got {renewal}. Leave it unset for half the duration."
        : null;
}

/// <summary>What <see cref="RunLeases.ClaimAsync"/> found.</summary>
public enum LeaseOutcome
{
    /// <summary>This engine holds the lease (claimed, renewed, or still fresh): it may tick the run.</summary>
    Held,
    /// <summary>Another engine holds a live lease: leave the run alone until <see cref="LeaseClaim.Lease"/> expires.</summary>
    HeldElsewhere,
    /// <summary>The run does not exist or has ended: nothing to lease (a lease of ours on an ended run was dropped).</summary>
    Ended,
}

/// <summary>The result of a claim.</summary>
/// <param name="Outcome">Whether the lease is ours.</param>
/// <param name="Lease">Our lease (<see cref="LeaseOutcome.Held"/>), the holder's (<see cref="LeaseOutcome.HeldElsewhere"/>), or null.</param>
public readonly record struct LeaseClaim(LeaseOutcome Outcome, RunLease? Lease);

/// <summary>
/// Leases on runs, so that several hosts on one store advance each run from exactly one host at a time. The lease is
/// part of the run (<see cref="Run.Lease"/>) and every change of it is a replace conditional on the run's ETag, so of
/// two engines claiming at once one wins and the other re-reads and sees the winner's lease. A lease is claimed when
/// free, expired or already ours, renewed before a tick when less than <see cref="Renewal"/> remains, and released
/// when the run ends, goes idle, or the host shuts down; a dead host's leases lapse after <see cref="Duration"/> and
/// are then taken over. The engine commits a tick only if the run it read was leased to <see cref="Owner"/>
/// (<see cref="RetryAtUnlessHeld"/>); a lease that lapses during a tick and is taken over fails the tick's commit on
/// the ETag. The command path (approvals, cancels) writes runs without a lease and keeps whatever lease is stored.
/// </summary>
public sealed class RunLeases
{
    private const int MaxAttempts = 3;

    private readonly IRunStore _runs;
    private readonly TimeProvider _time;

    /// <summary>Creates the leases of one engine instance.</summary>
    /// <exception cref="ArgumentException">The options are unusable (see <see cref="RunLeaseOptions.Problem"/>).</exception>
    public RunLeases(IRunStore runs, TimeProvider time, RunLeaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem) throw new ArgumentException(problem, nameof(options));
        _runs = runs;
        _time = time;
        Owner = string.IsNullOrWhiteSpace(options.LeaseOwner) ? NewOwnerId() : options.LeaseOwner.Trim();
        Duration = options.LeaseDuration;
        Renewal = options.EffectiveRenewal;
    }

    /// <summary>This engine instance's owner id, e.g. <c>web-7f9c/4211/a3f09c</c>.</summary>
    public string Owner { get; }

    /// <summary>How long a claimed or renewed lease lasts.</summary>
    public TimeSpan Duration { get; }

    /// <summary>A held lease is renewed before a tick when less than this remains.</summary>
    public TimeSpan Renewal { get; }

    /// <summary>A fresh owner id: host name, process id and six random hex digits, e.g. <c>web-7f9c/4211/a3f09c</c>.</summary>
    public static string NewOwnerId() => $"{Environment.MachineName}/{Environment.ProcessId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    /// <summary>
    /// Makes sure this engine holds the run's lease with at least <see cref="Renewal"/> left: returns at once if it
    /// does, claims it if it is free or expired, renews it if it is ours and running out; reports the holder if
    /// another engine's lease is live. A lost race re-reads and decides again.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">The run kept changing under every attempt; try again soon.</exception>
    public async Task<LeaseClaim> ClaimAsync(RunId id, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await _runs.GetAsync(id, cancellationToken);
            if (stored is null) return new LeaseClaim(LeaseOutcome.Ended, null);
            var run = stored.Value;
            var now = _time.GetUtcNow();
            if (run.State.IsTerminal())
            {
                if (run.Lease?.Owner == Owner) await TryWriteAsync(run, null, stored.ETag, cancellationToken);
                return new LeaseClaim(LeaseOutcome.Ended, null);
            }
            if (run.Lease is { } lease && lease.ExpiresAt > now)
            {
                if (lease.Owner != Owner) return new LeaseClaim(LeaseOutcome.HeldElsewhere, lease);
                if (lease.ExpiresAt - now >= Renewal) return new LeaseClaim(LeaseOutcome.Held, lease);
            }

            var mine = new RunLease(Owner, now + Duration);
            if (await TryWriteAsync(run, mine, stored.ETag, cancellationToken)) return new LeaseClaim(LeaseOutcome.Held, mine);
            if (attempt == MaxAttempts) throw new ConcurrencyConflictException($"Run {id} changed under {MaxAttempts} attempts to claim its lease.");
        }
    }

    /// <summary>
    /// Drops this engine's lease on the run so another engine can take it at once. Does nothing if the lease is not
    /// ours (or the run is gone); a lost race re-reads. Returns whether a lease was dropped.
    /// </summary>
    public async Task<bool> ReleaseAsync(RunId id, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var stored = await _runs.GetAsync(id, cancellationToken);
            if (stored?.Value.Lease?.Owner != Owner) return false;
            if (await TryWriteAsync(stored.Value, null, stored.ETag, cancellationToken)) return true;
        }
        return false;
    }

    /// <summary>
    /// Null when <paramref name="run"/> (as read at <paramref name="now"/>) is leased to this engine and the lease is
    /// live, so a tick may commit it; otherwise when to look at the run again: the other holder's expiry, or
    /// <paramref name="now"/> when the lease is free or ours but lapsed (claim it first).
    /// </summary>
    public DateTimeOffset? RetryAtUnlessHeld(Run run, DateTimeOffset now) => run.Lease switch
    {
        { } lease when lease.Owner == Owner && lease.ExpiresAt > now => null,
        { } lease when lease.ExpiresAt > now => lease.ExpiresAt,
        _ => now,
    };

    private async Task<bool> TryWriteAsync(Run run, RunLease? lease, string etag, CancellationToken cancellationToken)
    {
        run.Lease = lease;
        try
        {
            await _runs.ReplaceAsync(run, etag, cancellationToken);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }
}
