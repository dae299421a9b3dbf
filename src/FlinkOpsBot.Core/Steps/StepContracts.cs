using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Steps;

/// <summary>
/// What a step may use: the run (whose <see cref="Run.Vars"/> persist between calls), the cluster and the clock.
/// </summary>
public sealed class StepContext
{
    /// <summary>Creates a context for one call of one step.</summary>
    public StepContext(Run run, StepRecord step, string phase, int index, ClusterDefinition cluster, IFlinkPlatform platform, TimeProvider time)
    {
        Run = run;
        Step = step;
        Phase = phase;
        Index = index;
        Cluster = cluster;
        Platform = platform;
        Time = time;
    }

    /// <summary>The run; write what later steps or a resumed engine need into <see cref="Run.Vars"/>.</summary>
    public Run Run { get; }

    /// <summary>The step's record (its parameters in <see cref="StepRecord.With"/>).</summary>
    public StepRecord Step { get; }

    /// <summary><c>procedure</c> or <c>rollback</c>.</summary>
    public string Phase { get; }

    /// <summary>The step's position in its phase.</summary>
    public int Index { get; }

    /// <summary>The run's cluster.</summary>
    public ClusterDefinition Cluster { get; }

    /// <summary>The cluster's platform client.</summary>
    public IFlinkPlatform Platform { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>The job locks, for steps on locks (<c>transfer-lock</c>); null when the caller gave none.</summary>
    public Storage.IJobLockStore? Locks { get; init; }

    /// <summary>The bot's savepoint ledger (savepoints it took, per cluster and job name); null when the caller gave none.</summary>
    public Storage.ISavepointLedger? Savepoints { get; init; }

    /// <summary>The current time (UTC).</summary>
    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>A step parameter from the recipe, or null.</summary>
    public string? Parameter(string name) => Step.With.GetValueOrDefault(name);

    /// <summary>This step's own persisted scratch value (scoped to phase and index), or null.</summary>
    public string? Scratch(string name) => Run.Vars.GetValueOrDefault(ScratchKey(name));

    /// <summary>Persists a scratch value with the run's next write.</summary>
    public void SetScratch(string name, string value) => Run.Vars[ScratchKey(name)] = value;

    /// <summary>The JobID for a role: <c>current</c>, <c>new</c> or <c>rollback</c>; null if not known yet.</summary>
    public string? JobIdFor(string? role) => RunVars.JobIdFor(Run, role);

    private string ScratchKey(string name) => $"{Phase}.{Index}.{name}";
}

/// <summary>
/// The outcome of one call of a step. A step is called repeatedly until it is done, skipped or failed; between
/// calls the run (with <see cref="Run.Vars"/>) is persisted, so a step records its intent (a trigger id, a JobID)
/// and returns <see cref="Wait"/> with zero delay before it makes the call that uses it.
/// </summary>
public abstract record StepResult(string Detail, IReadOnlyDictionary<string, string> Evidence)
{
    /// <summary>Finished successfully.</summary>
    public sealed record Done(string Detail, IReadOnlyDictionary<string, string> Evidence) : StepResult(Detail, Evidence);

    /// <summary>Not needed in this run.</summary>
    public sealed record Skipped(string Detail) : StepResult(Detail, new Dictionary<string, string>());

    /// <summary>Failed; the recipe's <c>on-failure</c> decides what happens to the run.</summary>
    public sealed record Failed(string Detail, IReadOnlyDictionary<string, string> Evidence) : StepResult(Detail, Evidence);

    /// <summary>
    /// The step cannot tell safely whether its side effect happened (e.g. Flink forgot the trigger id and the job no
    /// longer runs, with no savepoint to show for it). The engine parks the run in
    /// <see cref="RunState.AwaitingDecision"/> with this detail and evidence on the card, for a person to decide.
    /// </summary>
    public sealed record Uncertain(string Detail, IReadOnlyDictionary<string, string> Evidence) : StepResult(Detail, Evidence);

    /// <summary>Persist, then call the step again after <paramref name="Delay"/>.</summary>
    public sealed record Wait(TimeSpan Delay, string Detail) : StepResult(Detail, new Dictionary<string, string>());

    /// <summary>A success with evidence given as pairs.</summary>
    public static Done Ok(string detail, params (string Key, string Value)[] evidence) => new(detail, evidence.ToDictionary(e => e.Key, e => e.Value));

    /// <summary>An undecidable outcome with evidence given as pairs.</summary>
    public static Uncertain Unsure(string detail, params (string Key, string Value)[] evidence) => new(detail, evidence.ToDictionary(e => e.Key, e => e.Value));

    /// <summary>A failure with evidence given as pairs.</summary>
    public static Failed Fail(string detail, params (string Key, string Value)[] evidence) => new(detail, evidence.ToDictionary(e => e.Key, e => e.Value));
}

/// <summary>
/// One procedure or rollback action against a cluster. Steps are idempotent and resumable: calling one again
/// after a crash, with the run as last persisted, must never repeat a side effect blindly.
/// </summary>
public interface IStep
{
    /// <summary>The kind recipes use, e.g. <c>stop-with-savepoint</c>.</summary>
    string Kind { get; }

    /// <summary>The step's title for the card, with this run's values (e.g. "Stop orders-enricher with a savepoint").</summary>
    string Describe(Run run, IReadOnlyDictionary<string, string> with);

    /// <summary>Advances the step by one call. Platform errors may escape; the engine retries transient ones until the step's timeout.</summary>
    Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken);
}
