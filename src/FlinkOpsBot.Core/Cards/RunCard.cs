using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Cards;

/// <summary>How a card should feel at a glance; renderers map it to colours or emoji.</summary>
public enum CardTone
{
    /// <summary>In progress or waiting.</summary>
    Neutral,
    /// <summary>Done and healthy.</summary>
    Good,
    /// <summary>Needs attention but under control (rolled back, rejected, expired).</summary>
    Warning,
    /// <summary>Failed; may need a human.</summary>
    Bad,
}

/// <summary>A label and a value, e.g. "Savepoint" and the path.</summary>
/// <param name="Label">Short label.</param>
/// <param name="Value">The value, as text.</param>
public sealed record CardFact(string Label, string Value);

/// <summary>A step as shown on a card.</summary>
/// <param name="Title">What the step does.</param>
/// <param name="Status">Progress.</param>
/// <param name="Detail">Latest evidence or error.</param>
public sealed record CardStep(string Title, StepStatus Status, string? Detail);

/// <summary>The gate as shown on a card.</summary>
/// <param name="Policy">The policy in words: "1 approval by someone other than the requester; expires 14:32 UTC".</param>
/// <param name="Approvals">Who approved and when, as text ("@ana at 14:05 UTC").</param>
/// <param name="IsOpen">True while approvals are accepted; renderers show Approve / Reject buttons then.</param>
/// <param name="ExpiresAt">When the gate closes (UTC).</param>
/// <param name="Note">A note such as "Local mode: self-approval is allowed".</param>
/// <param name="Decision">How the gate closed ("Rejected by @bo at 14:07 UTC: not during peak"), if it did.</param>
public sealed record CardGate(string Policy, IReadOnlyList<string> Approvals, bool IsOpen, DateTimeOffset ExpiresAt, string? Note, string? Decision);

/// <summary>One choice for a parked run, e.g. retry.</summary>
/// <param name="Verb">The command verb and button id: <c>retry</c>, <c>continue</c>, <c>rollback</c> or <c>abandon</c>.</param>
/// <param name="Label">The button's text, e.g. "Retry step".</param>
/// <param name="Explanation">What the choice does, in plain words.</param>
public sealed record CardChoice(string Verb, string Label, string Explanation);

/// <summary>A run parked on an uncertain step, as shown on a card: the question, the evidence and the choices.</summary>
/// <param name="Question">e.g. "“Stop orders-enricher with a savepoint” is uncertain: …".</param>
/// <param name="Evidence">What the bot saw, as label and value.</param>
/// <param name="Choices">Retry, continue, roll back (only when parked in the procedure), abandon.</param>
/// <param name="WhoDecides">Who may decide, in words.</param>
public sealed record CardDecision(string Question, IReadOnlyList<CardFact> Evidence, IReadOnlyList<CardChoice> Choices, string WhoDecides);

/// <summary>
/// The channel-neutral view of a run: everything a renderer needs to draw a Slack Block Kit message, an Adaptive
/// Card or a text card, and nothing platform-specific.
/// </summary>
public sealed record RunCard
{
    /// <summary>The run id.</summary>
    public required RunId RunId { get; init; }

    /// <summary>e.g. "Upgrade orders-enricher".</summary>
    public required string Title { get; init; }

    /// <summary>e.g. "upgrade · cluster demo · requested by @ana".</summary>
    public required string Subtitle { get; init; }

    /// <summary>The lifecycle state.</summary>
    public required RunState State { get; init; }

    /// <summary>The state in words, e.g. "Waiting for approval".</summary>
    public required string StateLabel { get; init; }

    /// <summary>How the state should feel.</summary>
    public required CardTone Tone { get; init; }

    /// <summary>A one-line summary of the outcome or the wait.</summary>
    public string? Summary { get; init; }

    /// <summary>The plan's facts: current → target jar, parallelism, savepoint directory, rollback target.</summary>
    public IReadOnlyList<CardFact> Facts { get; init; } = [];

    /// <summary>Precondition results.</summary>
    public IReadOnlyList<CheckResult> Preconditions { get; init; } = [];

    /// <summary>Checklist items the approver confirms by approving.</summary>
    public IReadOnlyList<string> Manual { get; init; } = [];

    /// <summary>The gate, once opened.</summary>
    public CardGate? Gate { get; init; }

    /// <summary>
    /// The short hash of the plan the gate shows (<see cref="Plans.RunPlan.Hash"/>), or null before there is one. Renderers
    /// show it at the gate and put it in the Approve button's payload, so a click on a card showing an older plan is refused.
    /// </summary>
    public string? PlanHash { get; init; }

    /// <summary>What changed in the plan after it was approved, which voided the approvals (one line each); empty when nothing did.</summary>
    public IReadOnlyList<string> PlanChanges { get; init; } = [];

    /// <summary>The procedure.</summary>
    public IReadOnlyList<CardStep> Procedure { get; init; } = [];

    /// <summary>The rollback plan or progress.</summary>
    public IReadOnlyList<CardStep> Rollback { get; init; } = [];

    /// <summary>True once the rollback has started (renderers show its progress rather than the plan).</summary>
    public bool RollbackStarted { get; init; }

    /// <summary>Validation results while validating and after.</summary>
    public IReadOnlyList<CheckResult> Validations { get; init; } = [];

    /// <summary>The recipe's gotchas, shown while a decision is pending.</summary>
    public IReadOnlyList<string> Gotchas { get; init; } = [];

    /// <summary>The pending decision of a run parked in <see cref="RunState.AwaitingDecision"/>; renderers show its choices as buttons.</summary>
    public CardDecision? Decision { get; init; }

    /// <summary>What a human must do next, when the bot cannot.</summary>
    public IReadOnlyList<string> HumanActions { get; init; } = [];

    /// <summary>The newest timeline lines, oldest first.</summary>
    public IReadOnlyList<string> TimelineTail { get; init; } = [];
}
