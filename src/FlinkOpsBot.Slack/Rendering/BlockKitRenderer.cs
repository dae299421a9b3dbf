using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;
using FlinkOpsBot.Slack.Interactions;

namespace FlinkOpsBot.Slack.Rendering;

/// <summary>
/// Renders a <see cref="RunCard"/> as a Block Kit message with the content of <see cref="TextCardRenderer"/>, and a
/// run's timeline events as a thread reply. Pure. Every list is one block whose lines share the section's 3000
/// characters fairly (a long evidence line is cut, the short ones stay whole), so a card has at most 14 blocks,
/// within Slack's 50, however long its lists; all dynamic mrkdwn is escaped.
/// </summary>
internal static class BlockKitRenderer
{
    private const int MaxHeaderChars = 150;
    private const int MaxTextChars = 3000;
    private const int MaxFields = 10;
    private const int MaxFieldChars = 2000;
    private const int MaxContextElements = 10;
    private const int MaxConfirmTitleChars = 100;
    private const int MaxConfirmTextChars = 300;
    private const int MaxMessageChars = 4000;
    private const int MinLineChars = 40;

    /// <summary>The card's blocks, in reading order.</summary>
    public static IReadOnlyList<Block> Render(RunCard card)
    {
        var blocks = new List<Block>
        {
            new HeaderBlock(TextObject.Plain(Mrkdwn.TruncatePlain(card.Title, MaxHeaderChars))),
            Context([$"{Icon(card.Tone)} *{Mrkdwn.Escape(card.StateLabel)}*", Mrkdwn.Escape(card.Subtitle)]),
        };
        if (card.HumanActions.Count > 0) blocks.Add(List("🚨 *What a human must do now*", card.HumanActions.Select(a => "→ " + Mrkdwn.Escape(a))));
        if (card.Summary is { Length: > 0 } summary) blocks.Add(Section(Mrkdwn.Escape(summary)));
        if (card.Facts.Count > 0) blocks.Add(Facts(card.Facts));
        if (card.Preconditions.Count > 0) blocks.Add(List("*Preconditions*", card.Preconditions.Select(CheckLine)));
        if (card.Manual.Count > 0 && card.Gate is { IsOpen: true })
        {
            blocks.Add(List("*Confirmed by approving*", card.Manual.Select(item => "☐ " + Mrkdwn.Escape(item))));
        }
        if (card.Procedure.Count > 0) blocks.Add(List("*Plan*", StepLines(card.Procedure)));
        if (card.Rollback.Count > 0)
        {
            blocks.Add(List(card.RollbackStarted ? "*Rollback*" : "*Rollback* (only if the plan or the validation fails)", StepLines(card.Rollback)));
        }
        if (card.Validations.Count > 0) blocks.Add(List("*Validation*", card.Validations.Select(CheckLine)));
        if (card.Gate is { } gate)
        {
            blocks.Add(Gate(card, gate));
            if (gate.IsOpen) blocks.Add(Buttons(card));
        }
        if (card.Decision is { } parked)
        {
            blocks.Add(List($"❓ *Decision needed:* {Mrkdwn.Escape(parked.Question)}",
                [.. parked.Evidence.Select(f => $"• {Mrkdwn.Escape(f.Label)}: {Mrkdwn.Escape(f.Value)}"),
                 $"_Who decides: {Mrkdwn.Escape(parked.WhoDecides)}_",
                 .. parked.Choices.Select(c => $"*{Mrkdwn.Escape(c.Label)}*: {Mrkdwn.Escape(c.Explanation)}")]));
            blocks.Add(DecisionButtons(card, parked));
        }
        if (card.Gotchas.Count > 0) blocks.Add(Context(card.Gotchas.Select(gotcha => "⚠️ " + Mrkdwn.Escape(gotcha))));
        if (card.TimelineTail.Count > 0) blocks.Add(Context([string.Join('\n', card.TimelineTail.Select(Mrkdwn.Escape))]));
        return blocks;
    }

    /// <summary>The message's <c>text</c>: what notifications and screen readers show instead of the blocks.</summary>
    public static string FallbackText(RunCard card) =>
        Mrkdwn.Truncate(Mrkdwn.Escape($"{card.Title} — {card.StateLabel}"), MaxMessageChars);

    /// <summary>Timeline events as one thread reply, a <c>HH:mm:ss text</c> line (UTC) each.</summary>
    public static string ThreadReply(IEnumerable<TimelineEvent> events) =>
        Mrkdwn.Truncate(string.Join('\n', events.Select(e => $"{e.At.ToUniversalTime():HH:mm:ss} {Mrkdwn.Escape(e.Text)}")), MaxMessageChars);

    private static SectionBlock Section(string mrkdwn) => new(TextObject.Mrkdwn(Mrkdwn.Truncate(mrkdwn, MaxTextChars)));

    /// <summary>A heading and its lines in one section; when they are too long together, the longest lines are cut to a fair share.</summary>
    private static SectionBlock List(string heading, IEnumerable<string> lines)
    {
        var items = lines.ToList();
        var cap = Math.Max(MinLineChars, FairShare(items.Select(l => l.Length), MaxTextChars - heading.Length - items.Count));
        return Section(heading + string.Concat(items.Select(line => "\n" + Mrkdwn.Truncate(line, cap))));
    }

    /// <summary>The largest line length that fits <paramref name="budget"/> when every longer line is cut to it.</summary>
    private static int FairShare(IEnumerable<int> lengths, int budget)
    {
        var sorted = lengths.Order().ToArray();
        for (var i = 0; i < sorted.Length; i++)
        {
            var share = budget / (sorted.Length - i);
            if (sorted[i] > share) return share;
            budget -= sorted[i];
        }
        return int.MaxValue;
    }

    private static SectionBlock Facts(IReadOnlyList<CardFact> facts)
    {
        var fields = facts.Count <= MaxFields
            ? facts.Select(f => Field(f.Label, f.Value)).ToList()
            : [.. facts.Take(MaxFields - 1).Select(f => Field(f.Label, f.Value)),
                Field("More", string.Join('\n', facts.Skip(MaxFields - 1).Select(f => $"{f.Label}: {f.Value}")))];
        return new SectionBlock(Fields: fields);

        static TextObject Field(string label, string value) =>
            TextObject.Mrkdwn(Mrkdwn.Truncate($"*{Mrkdwn.Escape(label)}*\n{Mrkdwn.Escape(value)}", MaxFieldChars));
    }

    private static ContextBlock Context(IEnumerable<string> mrkdwn)
    {
        var items = mrkdwn.Where(text => text.Length > 0).ToList();
        if (items.Count > MaxContextElements)
        {
            items = [.. items.Take(MaxContextElements - 1), string.Join('\n', items.Skip(MaxContextElements - 1))];
        }
        return new ContextBlock([.. items.Select(text => TextObject.Mrkdwn(Mrkdwn.Truncate(text, MaxTextChars)))]);
    }

    private static SectionBlock Gate(RunCard card, CardGate gate)
    {
        var runId = card.RunId;
        var lines = new List<string> { $"*Approval gate:* {Mrkdwn.Escape(gate.Policy)}" };
        if (card.PlanHash is { } hash)
        {
            lines.Add(gate.IsOpen ? $"Plan `{hash}`: an approval is for this plan; if it changes before execution, the approvals are void." : $"Plan `{hash}`");
        }
        if (card.PlanChanges.Count > 0)
        {
            lines.Add("⚠️ *The plan changed after it was approved; approvals are void.* What changed:");
            lines.AddRange(card.PlanChanges.Select(change => "• " + Mrkdwn.Escape(change)));
        }
        if (gate.Note is { } note) lines.Add($"_{Mrkdwn.Escape(note)}_");
        lines.AddRange(gate.Approvals.Select(approval => "✓ approved by " + Mrkdwn.Escape(approval)));
        if (gate.Decision is { } decision) lines.Add(Mrkdwn.Escape(decision));
        if (gate.IsOpen) lines.Add($"Approve or reject below (the requester can cancel). To reject with a reason, type `/flink reject {runId} your reason`.");
        return Section(string.Join('\n', lines));
    }

    private static ActionsBlock Buttons(RunCard card)
    {
        var runId = card.RunId.Value;
        var plan = string.Join("; ", card.Procedure.Select((step, i) => $"{i + 1}. {step.Title}"));
        var planName = card.PlanHash is { } hash ? $"plan {hash}" : "the plan";
        var confirm = new ConfirmDialog(
            TextObject.Plain(Mrkdwn.TruncatePlain($"Approve {runId}: {card.Title}?", MaxConfirmTitleChars)),
            TextObject.Plain(Mrkdwn.TruncatePlain(plan.Length == 0 ? $"You approve {planName}: {card.Title}" : $"You approve {planName}; the bot will run: {plan}", MaxConfirmTextChars)),
            TextObject.Plain("Approve"),
            TextObject.Plain("Not yet"));
        var cancel = new ConfirmDialog(
            TextObject.Plain(Mrkdwn.TruncatePlain($"Cancel {runId}?", MaxConfirmTitleChars)),
            TextObject.Plain("Only the requester can cancel. The run ends and nothing is changed on the cluster."),
            TextObject.Plain("Cancel the run"),
            TextObject.Plain("Keep it"));
        return new ActionsBlock(
        [
            new ButtonElement(TextObject.Plain("Approve"), CardActions.Approve, CardActions.ApproveValue(card.RunId, card.PlanHash), "primary", confirm),
            new ButtonElement(TextObject.Plain("Reject"), CardActions.Reject, runId, "danger"),
            new ButtonElement(TextObject.Plain("Cancel"), CardActions.Cancel, runId, Confirm: cancel),
        ]);
    }

    /// <summary>One button per choice (<c>action_id</c> = the verb, <c>value</c> = the run id); abandon and roll back ask for confirmation.</summary>
    private static ActionsBlock DecisionButtons(RunCard card, CardDecision parked)
    {
        var runId = card.RunId.Value;
        return new ActionsBlock([.. parked.Choices.Select(choice => choice.Verb switch
        {
            CardActions.Abandon or CardActions.RollBack => new ButtonElement(TextObject.Plain(choice.Label), choice.Verb, runId, "danger",
                new ConfirmDialog(
                    TextObject.Plain(Mrkdwn.TruncatePlain($"{choice.Label} {runId}?", MaxConfirmTitleChars)),
                    TextObject.Plain(Mrkdwn.TruncatePlain($"This will {choice.Explanation}.", MaxConfirmTextChars)),
                    TextObject.Plain(choice.Label),
                    TextObject.Plain("Not yet"))),
            CardActions.Retry => new ButtonElement(TextObject.Plain(choice.Label), choice.Verb, runId, "primary"),
            _ => new ButtonElement(TextObject.Plain(choice.Label), choice.Verb, runId),
        })]);
    }

    private static string CheckLine(CheckResult check) =>
        $"{Mark(check.Outcome)} *{Mrkdwn.Escape(check.Title)}*: {Mrkdwn.Escape(check.Evidence)}";

    private static IEnumerable<string> StepLines(IReadOnlyList<CardStep> steps) => steps.Select((step, i) =>
        $"{i + 1}. {StepMark(step.Status)} {Mrkdwn.Escape(step.Title)}"
        + (step.Detail is { } detail && step.Status != StepStatus.Pending ? " — " + Mrkdwn.Escape(detail) : ""));

    private static string Icon(CardTone tone) => CardSymbols.Tone(tone);

    private static string Mark(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Pass => "✅",
        CheckOutcome.Fail => "❌",
        _ => "❔",
    };

    private static string StepMark(StepStatus status) => status switch
    {
        StepStatus.Done => "✅",
        StepStatus.Failed => "❌",
        StepStatus.Running => "⏳",
        StepStatus.Skipped => "⏭️",
        StepStatus.Uncertain => "❓",
        _ => "▫️",
    };
}
