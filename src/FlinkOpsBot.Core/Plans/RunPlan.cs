using System.Text.Json.Serialization;
using FlinkOpsBot.Core.Checks;

namespace FlinkOpsBot.Core.Plans;

/// <summary>
/// What an approver approves: what the run will change on the cluster, what it will do if that goes wrong, and the
/// precondition results it rests on. Built when the gate opens and again just before the first mutating step
/// (<see cref="Runs.RunState.ConfirmingPlan"/>); when the two <see cref="Hash"/>es differ, the approvals are void.
/// </summary>
/// <param name="RecipeId">The recipe, e.g. <c>upgrade</c>.</param>
/// <param name="Cluster">The configured cluster's name.</param>
/// <param name="JobName">The target job's name.</param>
/// <param name="JobId">The JobID the run starts from (32 hex), or null when none is known.</param>
/// <param name="CurrentJar">The jar id the job runs now (also the rollback target), or null when unknown.</param>
/// <param name="TargetJar">The jar id the job will run, or null when the recipe deploys none.</param>
/// <param name="CurrentParallelism">The job's parallelism now, or null when unknown.</param>
/// <param name="TargetParallelism">The parallelism the new job will run with, or null when unknown.</param>
/// <param name="SavepointDirectory">Where the savepoint will be written, or null when unknown.</param>
/// <param name="AllowNonRestoredState">Whether state that maps to no operator of the new version may be dropped (Flink's <c>allowNonRestoredState</c>).</param>
/// <param name="RollbackTarget">What the rollback restores, in words (e.g. "orders-enricher-2.3.1.jar from the same savepoint"), or null.</param>
/// <param name="Steps">The procedure's steps as <c>kind: title</c>, in order.</param>
/// <param name="RollbackSteps">The rollback's steps as <c>kind: title</c>, in order.</param>
/// <param name="Preconditions">The precondition results the plan rests on, in recipe order.</param>
/// <param name="Downtime">The expected downtime; shown, not hashed (it moves with every checkpoint).</param>
public sealed record RunPlan(
    string RecipeId,
    string Cluster,
    string JobName,
    string? JobId,
    string? CurrentJar,
    string? TargetJar,
    int? CurrentParallelism,
    int? TargetParallelism,
    string? SavepointDirectory,
    bool AllowNonRestoredState,
    string? RollbackTarget,
    IReadOnlyList<string> Steps,
    IReadOnlyList<string> RollbackSteps,
    IReadOnlyList<PlanCheck> Preconditions,
    DowntimeEstimate? Downtime)
{
    /// <summary>
    /// The short hash of the plan's canonical form (<see cref="PlanHasher.Hash"/>): 8 lowercase hex characters. Computed,
    /// never stored: a stored plan is re-hashed when read.
    /// </summary>
    [JsonIgnore]
    public string Hash => PlanHasher.Hash(this);

    /// <summary>
    /// Recipe-specific facts as <c>label: value</c> lines, ordered by label (<see cref="PlanFacts"/>): e.g.
    /// "Restore from: s3://…/savepoint-…", "Program arguments: --start-timestamp …", "State dropped: Enrich (a1b2…)". Hashed.
    /// Empty for an upgrade of compatible state.
    /// </summary>
    public IReadOnlyList<string> Facts { get; init; } = [];
}

/// <summary>A precondition result as a plan holds it: the outcome and the stable facts behind it (<see cref="CheckResult.Basis"/>).</summary>
/// <param name="Id">The check's id, e.g. <c>no-failed-checkpoints</c>.</param>
/// <param name="Title">The check's title, for the card.</param>
/// <param name="Outcome">Pass, fail or unknown.</param>
/// <param name="Basis">The stable facts, or null.</param>
public sealed record PlanCheck(string Id, string Title, CheckOutcome Outcome, string? Basis);

/// <summary>
/// How long the job is expected to process nothing during the change: from the stop with a savepoint until the new job
/// runs from it.
/// </summary>
/// <param name="Seconds">The estimate in whole seconds.</param>
/// <param name="How">How it was estimated, in words, with the numbers used.</param>
public sealed record DowntimeEstimate(int Seconds, string How);
