using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Storage;

/// <summary>A stored value with the ETag that a conditional write of it must present.</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="Value">The value as stored.</param>
/// <param name="ETag">The opaque version tag.</param>
public sealed record Versioned<T>(T Value, string ETag);

/// <summary>
/// The system of record for runs. Every write is conditional: <see cref="CreateAsync"/> fails if the id exists,
/// <see cref="ReplaceAsync"/> fails if the run changed since it was read.
/// </summary>
public interface IRunStore
{
    /// <summary>The run with its ETag, or null if there is none with that id.</summary>
    Task<Versioned<Run>?> GetAsync(RunId id, CancellationToken cancellationToken);

    /// <summary>Stores a new run and returns its ETag.</summary>
    /// <exception cref="ConcurrencyConflictException">A run with that id exists.</exception>
    Task<string> CreateAsync(Run run, CancellationToken cancellationToken);

    /// <summary>Replaces the run if it is still at <paramref name="etag"/>, and returns the new ETag.</summary>
    /// <exception cref="ConcurrencyConflictException">The run changed since it was read, or was deleted.</exception>
    Task<string> ReplaceAsync(Run run, string etag, CancellationToken cancellationToken);

    /// <summary>Every run that is not in a terminal state.</summary>
    Task<IReadOnlyList<Run>> ListActiveAsync(CancellationToken cancellationToken);

    /// <summary>The most recently created runs, newest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<Run>> ListRecentAsync(int max, CancellationToken cancellationToken);
}

/// <summary>Append-only run timelines.</summary>
public interface ITimelineStore
{
    /// <summary>
    /// Writes events keyed by (run, sequence). Writing the same key again overwrites it: a writer that lost a race
    /// on the run rewrites the sequence numbers the winner then owns.
    /// </summary>
    Task AppendAsync(IReadOnlyList<TimelineEvent> events, CancellationToken cancellationToken);

    /// <summary>A run's events in sequence order.</summary>
    Task<IReadOnlyList<TimelineEvent>> ListAsync(RunId runId, CancellationToken cancellationToken);
}

/// <summary>The lock that allows one mutating run per job.</summary>
/// <param name="Cluster">The cluster name.</param>
/// <param name="JobName">The job name.</param>
/// <param name="RunId">The run holding the lock.</param>
/// <param name="RecipeId">The holder's recipe.</param>
/// <param name="Holder">Who started the holder run.</param>
/// <param name="AcquiredAt">When (UTC).</param>
public sealed record JobLock(string Cluster, string JobName, RunId RunId, string RecipeId, Actor Holder, DateTimeOffset AcquiredAt);

/// <summary>Per-job locks, written with conditional inserts so two replicas cannot both hold one.</summary>
public interface IJobLockStore
{
    /// <summary>
    /// Takes the lock for <paramref name="candidate"/>'s job. Returns null when taken, or the current holder when
    /// someone else holds it. When <paramref name="replacing"/> is the holder's run id (the caller has established
    /// that run is over), the lock is taken over instead.
    /// </summary>
    Task<JobLock?> TryAcquireAsync(JobLock candidate, RunId? replacing, CancellationToken cancellationToken);

    /// <summary>Releases the job's lock if <paramref name="holder"/> holds it; does nothing otherwise.</summary>
    Task ReleaseAsync(string cluster, string jobName, RunId holder, CancellationToken cancellationToken);

    /// <summary>The job's lock, or null.</summary>
    Task<JobLock?> GetAsync(string cluster, string jobName, CancellationToken cancellationToken);

    /// <summary>Every run lock on every cluster (a few rows: one per job with a run in flight), in no particular order.</summary>
    Task<IReadOnlyList<JobLock>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes the explicit lock <paramref name="candidate"/> on its job (<c>/flink lock</c>). Returns null when taken:
    /// the job had no explicit lock, or one that expired by <paramref name="now"/>, or one held by the same person (then
    /// it is renewed with the candidate's reason and expiry). Otherwise returns the other person's unexpired lock and
    /// changes nothing. Conditional writes: of two concurrent candidates for a free job exactly one wins.
    /// </summary>
    Task<ExplicitLock?> TryAcquireExplicitAsync(ExplicitLock candidate, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The job's explicit lock as stored, expired or not (callers decide with their clock), or null.</summary>
    Task<ExplicitLock?> GetExplicitAsync(string cluster, string jobName, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the job's explicit lock with <paramref name="replacement"/>, or deletes it when that is null, only if the
    /// stored lock is still <paramref name="expected"/> (<see cref="ExplicitLock.IsSameLockAs"/>). Returns false, changing
    /// nothing, when it is not (renewed, released, expired and retaken, or stolen since it was read).
    /// </summary>
    Task<bool> ReplaceExplicitAsync(ExplicitLock expected, ExplicitLock? replacement, CancellationToken cancellationToken);

    /// <summary>Every explicit lock on every cluster as stored, expired ones included, in no particular order.</summary>
    Task<IReadOnlyList<ExplicitLock>> ListExplicitAsync(CancellationToken cancellationToken);
}

/// <summary>Where a run's card lives in a chat platform, so the bot can update it in place.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Platform"><c>slack</c>, <c>teams</c> or <c>local</c>.</param>
/// <param name="ConversationId">Slack channel id, Teams conversation id.</param>
/// <param name="MessageId">Slack message <c>ts</c>, Teams activity id.</param>
/// <param name="Properties">Platform details (e.g. Teams <c>serviceUrl</c>).</param>
public sealed record CardLocation(RunId RunId, string Platform, string ConversationId, string MessageId, IReadOnlyDictionary<string, string> Properties);

/// <summary>Card locations by run.</summary>
public interface IConversationStore
{
    /// <summary>Stores (or replaces) where a run's card lives.</summary>
    Task SaveAsync(CardLocation location, CancellationToken cancellationToken);

    /// <summary>Where the run's card lives on <paramref name="platform"/>, or null if it was never posted there.</summary>
    Task<CardLocation?> GetAsync(RunId runId, string platform, CancellationToken cancellationToken);
}

/// <summary>What the bot knows it deployed: the artifact a job runs, so an upgrade knows its rollback target.</summary>
/// <param name="Cluster">The cluster name.</param>
/// <param name="JobName">The job name.</param>
/// <param name="JarId">The jar id on the cluster.</param>
/// <param name="JarName">The jar's file name.</param>
/// <param name="JobId">The JobID the deployment produced.</param>
/// <param name="Parallelism">The parallelism it was started with.</param>
/// <param name="RunId">The run that deployed it, or null for a seeded record.</param>
/// <param name="At">When (UTC).</param>
public sealed record DeploymentRecord(string Cluster, string JobName, string JarId, string JarName, string JobId, int Parallelism, RunId? RunId, DateTimeOffset At);

/// <summary>The bot's own deployment records, one current record per (cluster, job name).</summary>
public interface IDeploymentLedger
{
    /// <summary>The latest record for the job, or null if the bot never deployed it.</summary>
    Task<DeploymentRecord?> GetCurrentAsync(string cluster, string jobName, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="record"/> as the job's current deployment.</summary>
    Task RecordAsync(DeploymentRecord record, CancellationToken cancellationToken);
}

/// <summary>A conditional write lost: the stored value changed since it was read, or already exists.</summary>
public sealed class ConcurrencyConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConcurrencyConflictException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }
}
