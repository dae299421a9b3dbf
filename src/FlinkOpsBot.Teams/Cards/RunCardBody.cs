using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;
using static FlinkOpsBot.Teams.Cards.AdaptiveElements;

namespace FlinkOpsBot.Teams.Cards;

/// <summary>
/// The body of a run's Adaptive Card, in the reading order of <see cref="TextCardRenderer"/>: notice, header, what a
/// human must do, summary, facts, preconditions, checklist, plan, rollback, validation, gate, buttons, gotchas,
/// timeline. Every text that comes from the run is a plain <c>TextRun</c> cut to the <see cref="CardBudget"/>.
/// </summary>
/// <param name="card">The run.</param>
/// <param name="budget">How long lines and lists may be.</param>
/// <param name="viewer">The viewer, or null for the shared card.</param>
internal sealed class RunCardBody(RunCard card, CardBudget budget, CardViewer? viewer)
{
    private static readonly TextStyle TimelineStyle = new(Subtle: true, Size: "small");

    private bool GateOpen => card.Gate is { IsOpen: true };

    /// <summary>
    /// True when this card shows Approve / Reject: an open gate, on the shared card or for a viewer who may decide. The
    /// shared card has them for clients that never refresh (no Universal Actions, conversations over 60 members); every
    /// click is checked against the gate's policy, whoever sees the button.
    /// </summary>
    public bool ShowsButtons => GateOpen && viewer is null or { CanDecide: true };

    /// <summary>True when this card shows Cancel: an open gate, on the shared card (the click is checked: only the requester may) or for the requester.</summary>
    public bool ShowsCancel => GateOpen && viewer is null or { CanCancel: true };

    /// <summary>The body elements.</summary>
    public IEnumerable<JsonObject> Build()
    {
        if (viewer?.Notice is { Length: > 0 } notice)
        {
            yield return RichText(Run(Cut(notice), new TextStyle(Color: "attention", Weight: "bolder")));
        }
        yield return Header();
        if (card.HumanActions.Count > 0) yield return HumanActions();
        if (card.Summary is { Length: > 0 } summary) yield return RichText(Run(Cut(summary)));
        if (card.Facts.Count > 0) yield return Facts();
        if (card.Preconditions.Count > 0) yield return Section("Preconditions", Checks(card.Preconditions));
        if (card.Manual.Count > 0 && GateOpen)
        {
            yield return Section("Checklist (confirmed by approving)", Lines(card.Manual, item => RichText(Run("☐ " + Cut(item)))));
        }
        if (card.Procedure.Count > 0) yield return Section("Plan", Steps(card.Procedure));
        if (card.Rollback.Count > 0)
        {
            yield return Section(card.RollbackStarted ? "Rollback" : "Rollback (only if the plan or the validation fails)", Steps(card.Rollback));
        }
        if (card.Validations.Count > 0) yield return Section("Validation", Checks(card.Validations));
        if (card.Gate is { } gate) yield return Gate(gate);
        if (ShowsButtons || ShowsCancel) yield return Buttons(card, ShowsButtons, ShowsCancel);
        if (card.Decision is { } parked)
        {
            yield return Decision(parked);
            if (viewer is null or { CanDecide: true }) yield return DecisionButtons(card.RunId, parked);
        }
        if (card.Gotchas.Count > 0 && GateOpen)
        {
            yield return Section("⚠️ Gotchas", Lines(card.Gotchas, gotcha => RichText(Run("• " + Cut(gotcha)))));
        }
        if (card.TimelineTail.Count > 0) yield return Timeline();
    }

    /// <summary>
    /// Approve (<c>positive</c>, its data carrying the plan hash the card shows) and Reject (<c>destructive</c>) when
    /// <paramref name="decide"/>, then Cancel when <paramref name="cancel"/>; each an <c>Action.Execute</c> with an
    /// <c>Action.Submit</c> fallback carrying the verb.
    /// </summary>
    public static JsonObject Buttons(RunCard card, bool decide = true, bool cancel = false)
    {
        var buttons = new List<JsonObject>();
        if (decide)
        {
            buttons.Add(Button("Approve", CardVerbs.Approve, "positive", card.RunId, card.PlanHash));
            buttons.Add(Button("Reject", CardVerbs.Reject, "destructive", card.RunId));
        }
        if (cancel) buttons.Add(Button("Cancel", CardVerbs.Cancel, "default", card.RunId));
        return ActionSet([.. buttons]);
    }

    /// <summary>
    /// A parked run's choices, each an <c>Action.Execute</c> (verb <c>retry</c>, <c>continue</c>, <c>rollback</c>,
    /// <c>abandon</c>) with an <c>Action.Submit</c> fallback. Shown to every viewer: each click is checked against the
    /// gate's approvers, and one who may not decide gets a plain answer.
    /// </summary>
    public static JsonObject DecisionButtons(RunId runId, CardDecision parked) => ActionSet(
        [.. parked.Choices.Select(choice => Button(choice.Label, choice.Verb,
            choice.Verb is CardVerbs.Abandon or CardVerbs.RollBack ? "destructive" : choice.Verb == CardVerbs.Retry ? "positive" : "default", runId))]);

    private JsonObject Decision(CardDecision parked) => Container(
        [
            TextBlock("❓ Decision needed", color: "warning", weight: "bolder"),
            RichText(Run(Cut(parked.Question))),
            .. Lines(parked.Evidence, fact => RichText(Run(Cut(fact.Label) + ": ", TextStyle.Bold), Run(Cut(fact.Value)))),
            RichText(Run("Who decides: " + Cut(parked.WhoDecides), TextStyle.Muted)),
            .. Lines(parked.Choices, choice => RichText(Run(Cut(choice.Label) + ": ", TextStyle.Bold), Run(Cut(choice.Explanation)))),
        ],
        separator: true);

    private static JsonObject Button(string title, string verb, string style, RunId runId, string? planHash = null) =>
        Execute(verb, CardVerbs.Data(runId, planHash: planHash), title, style, fallback: Submit(title, CardVerbs.Data(runId, verb, planHash), style));

    private JsonObject Header() => Container(
    [
        RichText(Run(Cut(card.Title), new TextStyle(Weight: "bolder", Size: "medium"))),
        RichText(Run($"{CardMarks.Tone(card.Tone)} {Cut(card.StateLabel)}", new TextStyle(Color: CardMarks.Color(card.Tone), Weight: "bolder"))),
        .. IfAny(card.Subtitle, subtitle => RichText(Run(Cut(subtitle), TextStyle.Muted))),
    ]);

    private JsonObject HumanActions() => Container(
        [
            TextBlock("🚨 What a human must do now", color: "attention", weight: "bolder"),
            .. Lines(card.HumanActions, action => RichText(Run("→ " + Cut(action), new TextStyle(Color: "attention", Weight: "bolder")))),
        ],
        style: "attention");

    private JsonObject Facts()
    {
        var (kept, omitted) = CardText.Cap(card.Facts, budget.MaxItems);
        var facts = FactSet(kept.Select(f => (CardText.EscapeMarkdown(Cut(f.Label)), CardText.EscapeMarkdown(Cut(f.Value)))));
        return omitted == 0 ? facts : Container([facts, More(omitted)]);
    }

    private IEnumerable<JsonObject> Checks(IReadOnlyList<CheckResult> checks) =>
        Lines(checks, check => RichText(Run(CardMarks.Check(check.Outcome) + " "), Run(Cut(check.Title), TextStyle.Bold), Run(": " + Cut(check.Evidence))),
            check => check.Outcome != CheckOutcome.Pass);

    private IEnumerable<JsonObject> Steps(IReadOnlyList<CardStep> steps)
    {
        var numbered = steps.Select((step, i) => (Step: step, Number: i + 1)).ToList();
        return Lines(numbered, s => RichText(
            [
                Run($"{s.Number}. {CardMarks.Step(s.Step.Status)} {Cut(s.Step.Title)}"),
                .. IfAny(s.Step.Status == StepStatus.Pending ? null : s.Step.Detail, detail => Run(" — " + Cut(detail), TextStyle.Muted)),
            ]),
            s => s.Step.Status is StepStatus.Failed or StepStatus.Running);
    }

    private JsonObject Gate(CardGate gate)
    {
        var items = new List<JsonNode>
        {
            TextBlock("Approval gate", weight: "bolder"),
            RichText(Run(Cut(gate.Policy))),
        };
        if (card.PlanHash is { } hash)
        {
            items.Add(gate.IsOpen
                ? RichText(Run("Plan "), Run(hash, new TextStyle(Monospace: true)), Run(": an approval is for this plan; if it changes before execution, the approvals are void."))
                : RichText(Run("Plan "), Run(hash, new TextStyle(Monospace: true))));
        }
        if (card.PlanChanges.Count > 0)
        {
            items.Add(RichText(Run("⚠️ The plan changed after it was approved; approvals are void. What changed:", new TextStyle(Color: "warning", Weight: "bolder"))));
            items.AddRange(Lines(card.PlanChanges, change => RichText(Run("• " + Cut(change)))));
        }
        if (gate.Note is { Length: > 0 } note) items.Add(RichText(Run(Cut(note), new TextStyle(Subtle: true, Italic: true))));
        items.AddRange(Lines(gate.Approvals, approval => RichText(Run("✓ approved by " + Cut(approval)))));
        if (gate.Decision is { Length: > 0 } decision) items.Add(RichText(Run(Cut(decision), TextStyle.Bold)));
        if (gate.IsOpen && Hint() is { } hint) items.Add(hint);
        return Container(items, separator: true);
    }

    /// <summary>How to decide, where the buttons show: with them, or by typing (which also takes a reason); nothing for a viewer who may not decide.</summary>
    private JsonObject? Hint()
    {
        var runId = card.RunId.Value;
        var command = new TextStyle(Monospace: true);
        if (!ShowsButtons) return null;
        return RichText(Run("Approve or reject below, or type "), Run($"approve {runId}", command), Run(" or "), Run($"reject {runId} <reason>", command),
            Run(". The requester can cancel."));
    }

    private JsonObject Timeline()
    {
        var lines = card.TimelineTail;
        var shown = Math.Min(lines.Count, budget.MaxTimelineLines);
        var items = new List<JsonNode>();
        if (shown < lines.Count) items.Add(TextBlock($"+{lines.Count - shown} earlier events", size: "small", subtle: true));
        items.AddRange(lines.Skip(lines.Count - shown).Select(line => RichText(Run(Cut(line), TimelineStyle))));
        return Container(items, separator: true);
    }

    private static JsonObject Section(string heading, IEnumerable<JsonObject> lines) =>
        Container([TextBlock(heading, weight: "bolder"), .. lines], separator: true);

    /// <summary>One element per item, at most <see cref="CardBudget.MaxItems"/> (preferring <paramref name="important"/> ones), then "+N more".</summary>
    private IEnumerable<JsonObject> Lines<T>(IReadOnlyList<T> items, Func<T, JsonObject> line, Func<T, bool>? important = null)
    {
        var (kept, omitted) = CardText.Cap(items, budget.MaxItems, important);
        foreach (var item in kept) yield return line(item);
        if (omitted > 0) yield return More(omitted);
    }

    /// <summary>The element for <paramref name="text"/>, or nothing when it is null or empty.</summary>
    private static IEnumerable<JsonObject> IfAny(string? text, Func<string, JsonObject> element) =>
        string.IsNullOrEmpty(text) ? [] : [element(text)];

    private static JsonObject More(int omitted) => TextBlock($"+{omitted} more", size: "small", subtle: true);

    private string Cut(string text) => CardText.Truncate(text, budget.MaxLineChars);
}
