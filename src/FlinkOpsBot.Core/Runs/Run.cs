using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Identity;

namespace FlinkOpsBot.Core.Runs;

/// <summary>
/// One execution of a recipe against one target job: its inputs, state, check and step results, approvals
/// and the engine's bookkeeping. A run is persisted after every transition and every step result, with an
/// ETag held by the store; it is advanced by one engine at a time.
/// </summary>
public sealed class Run
{
    /// <summary>The short id people type, e.g. <c>R-7Q2K</c>.</summary>
    public required RunId Id { get; init; }

    /// <summary>The recipe's id, e.g. <c>upgrade</c>.</summary>
    public required string RecipeId { get; init; }

    /// <summary>The configured cluster the run targets.</summary>
    public required string Cluster { get; init; }

    /// <summary>The target job's name as resolved when the run was created.</summary>
    public required string JobName { get; init; }

    /// <summary>The JobID of the job the run started from (before any change), once resolved.</summary>
    public string? JobId { get; set; }

    /// <summary>The recipe inputs as given (normalized names without dashes: <c>jar</c>, <c>parallelism</c>, …).</summary>
    public required Dictionary<string, string> Inputs { get; init; }

    /// <summary>Who asked for the run (verified identity).</summary>
    public required Actor Requester { get; init; }

    /// <summary>Where the command was typed; the card and timeline go there.</summary>
    public required ChannelRef Origin { get; init; }

    /// <summary>When the run was created (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the run last changed (UTC).</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The lifecycle state.</summary>
    public RunState State { get; set; } = RunState.Requested;

    /// <summary>When the run reached its terminal state, if it has.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Precondition results, in recipe order, from the latest evaluation.</summary>
    public List<CheckResult> Preconditions { get; set; } = [];

    /// <summary>Validation results from the latest validation evaluation.</summary>
    public List<CheckResult> Validations { get; set; } = [];

    /// <summary>The procedure's steps and their progress, in order.</summary>
    public List<StepRecord> Procedure { get; set; } = [];

    /// <summary>The rollback's steps and their progress, in order (planned up front, run only on failure).</summary>
    public List<StepRecord> Rollback { get; set; } = [];

    /// <summary>The gate as it was opened for this run.</summary>
    public GateSnapshot? Gate { get; set; }

    /// <summary>
    /// The plan the gate shows and approvers approve (<see cref="Plans.RunPlan"/>, with its hash); set when the gate opens
    /// and replaced when the plan is recomputed just before execution. Null before the gate opens.
    /// </summary>
    public Plans.RunPlan? Plan { get; set; }

    /// <summary>
    /// What changed in the plan when it was last recomputed before execution (one line each), which voided the approvals
    /// and opened the gate again; empty when it never changed.
    /// </summary>
    public List<string> PlanChanges { get; set; } = [];

    /// <summary>Approvals given so far (distinct verified approvers).</summary>
    public List<Approval> Approvals { get; set; } = [];

    /// <summary>Who rejected or cancelled the run, if anyone.</summary>
    public Approval? Decline { get; set; }

    /// <summary>
    /// Values the steps produced and consumed, persisted with the run so a step can resume: trigger ids,
    /// savepoint paths, new JobIDs. Keys are defined by <see cref="RunVars"/>.
    /// </summary>
    public Dictionary<string, string> Vars { get; init; } = [];

    /// <summary>When the engine should next look at this run; null means "as soon as possible" for active runs.</summary>
    public DateTimeOffset? NextWakeAt { get; set; }

    /// <summary>A one-line summary of how the run ended or why it waits, shown on the card.</summary>
    public string? Summary { get; set; }

    /// <summary>What a human must do next when the bot cannot (set on <see cref="RunState.RollbackFailed"/>).</summary>
    public List<string> HumanActions { get; set; } = [];

    /// <summary>The number of timeline events appended so far; the next event's sequence number.</summary>
    public int TimelineSequence { get; set; }

    /// <summary>
    /// The <see cref="Timeline.TimelineEvent.Hash"/> of the run's last timeline event (the head of its hash chain), written
    /// with the run in the same conditional write; null before the first chained event.
    /// </summary>
    public string? TimelineHead { get; set; }

    /// <summary>
    /// The engine instance allowed to advance the run, until its expiry; null when none holds it (new, released, or
    /// ended). Written by <see cref="Engine.RunLeases"/> only.
    /// </summary>
    public RunLease? Lease { get; set; }

    /// <summary>The step list the run is currently working through, by state.</summary>
    public List<StepRecord>? ActiveSteps => State switch
    {
        RunState.Executing => Procedure,
        RunState.RollingBack => Rollback,
        _ => null,
    };
}

/// <summary>The progress of a step.</summary>
public enum StepStatus
{
    /// <summary>Not started.</summary>
    Pending,
    /// <summary>Started; waiting on the cluster.</summary>
    Running,
    /// <summary>Finished successfully.</summary>
    Done,
    /// <summary>Failed; see <see cref="StepRecord.Detail"/>.</summary>
    Failed,
    /// <summary>Not needed (e.g. there was no new job to cancel).</summary>
    Skipped,
    /// <summary>
    /// The bot cannot tell safely whether the step took effect (e.g. Flink forgot a stop's trigger id and the job is
    /// no longer running); the run waits in <see cref="RunState.AwaitingDecision"/> for a person.
    /// </summary>
    Uncertain,
}

/// <summary>One planned step of a run and how far it got.</summary>
public sealed class StepRecord
{
    /// <summary>The step kind from the step library, e.g. <c>stop-with-savepoint</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>What the step does, in plain words, with this run's values.</summary>
    public required string Title { get; init; }

    /// <summary>The step's parameters from the recipe (<c>with:</c>).</summary>
    public Dictionary<string, string> With { get; init; } = [];

    /// <summary>Progress.</summary>
    public StepStatus Status { get; set; } = StepStatus.Pending;

    /// <summary>The latest evidence or error, e.g. the savepoint path or Flink's error's first line.</summary>
    public string? Detail { get; set; }

    /// <summary>When the step started (UTC).</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When the step finished, failed or was skipped (UTC).</summary>
    public DateTimeOffset? EndedAt { get; set; }
}

/// <summary>A recorded decision at the gate.</summary>
/// <param name="Actor">Who decided (verified).</param>
/// <param name="At">When (UTC).</param>
/// <param name="Comment">Optional reason.</param>
/// <param name="PlanHash">The short hash of the plan the approver approved (<see cref="Plans.RunPlan.Hash"/>); null for decisions that are not approvals.</param>
public sealed record Approval(Actor Actor, DateTimeOffset At, string? Comment = null, string? PlanHash = null);

/// <summary>The gate's policy as applied to one run, frozen when the gate opened.</summary>
/// <param name="RequiredApprovals">Distinct approvers needed (M of N).</param>
/// <param name="AllowSelfApproval">Whether the requester's approval counts.</param>
/// <param name="Approvers">Identity keys or patterns allowed to approve; empty means anyone verified in the channel.</param>
/// <param name="ExpiresAt">When the gate closes without quorum (UTC).</param>
/// <param name="Note">A plain note shown on the card, e.g. why self-approval is allowed.</param>
public sealed record GateSnapshot(int RequiredApprovals, bool AllowSelfApproval, IReadOnlyList<string> Approvers, DateTimeOffset ExpiresAt, string? Note);

/// <summary>Well-known keys of <see cref="Run.Vars"/>.</summary>
public static class RunVars
{
    /// <summary>
    /// The JobID a recipe's <c>job</c> parameter names: <c>current</c> (default: the job the run started from), <c>new</c>
    /// (submitted by the procedure) or <c>rollback</c> (submitted by the rollback); null when not known yet.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> is none of those (recipes are validated at load).</exception>
    public static string? JobIdFor(Run run, string? role) => role switch
    {
        null or "current" => run.JobId,
        "new" => run.Vars.GetValueOrDefault(NewJobId),
        "rollback" => run.Vars.GetValueOrDefault(RollbackJobId),
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "job must be current, new or rollback"),
    };

    /// <summary>The trigger id of the stop-with-savepoint operation (32 hex), persisted before the call.</summary>
    public const string StopTriggerId = "stop.triggerId";
    /// <summary>Set once the stop request has been sent at least once.</summary>
    public const string StopRequested = "stop.requested";
    /// <summary>The savepoint path the procedure took.</summary>
    public const string SavepointPath = "savepointPath";
    /// <summary>The savepoint directory used.</summary>
    public const string SavepointDirectory = "savepointDirectory";
    /// <summary>The jar id of the version the job ran before the run (rollback target).</summary>
    public const string RollbackJarId = "rollbackJarId";
    /// <summary>The parallelism the job ran with before the run.</summary>
    public const string PreviousParallelism = "previousParallelism";
    /// <summary>The jar id of the target version.</summary>
    public const string TargetJarId = "targetJarId";
    /// <summary>The parallelism the target version runs with.</summary>
    public const string TargetParallelism = "targetParallelism";
    /// <summary>The JobID of the job the procedure submitted (new version).</summary>
    public const string NewJobId = "newJobId";
    /// <summary>The JobID of the job the rollback submitted (previous version).</summary>
    public const string RollbackJobId = "rollbackJobId";
    /// <summary>When the validation window started (ISO 8601).</summary>
    public const string ValidationStartedAt = "validation.startedAt";
    /// <summary>The completed checkpoint count when validation started.</summary>
    public const string ValidationCheckpointsAtStart = "validation.checkpointsAtStart";
}
