using System.Text;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Cards;

/// <summary>Renders a <see cref="RunCard"/> as plain text for the local shell and logs.</summary>
public static class TextCardRenderer
{
    /// <summary>The card as text, one fact per line, about 80 columns wide.</summary>
    public static string Render(RunCard card)
    {
        var text = new StringBuilder();
        var rule = new string('─', 78);
        text.AppendLine(rule);
        text.Append(Icon(card.Tone)).Append(' ').Append(card.Title).Append(" — ").AppendLine(card.StateLabel);
        text.AppendLine("  " + card.Subtitle);
        if (card.Summary is { } summary) text.AppendLine("  " + summary);
        text.AppendLine();
        foreach (var fact in card.Facts) text.AppendLine($"  {fact.Label + ":",-24}{fact.Value}");

        if (card.Preconditions.Count > 0)
        {
            text.AppendLine().AppendLine("  Preconditions");
            foreach (var check in card.Preconditions) text.AppendLine($"    {Mark(check.Outcome)} {check.Title}: {check.Evidence}");
        }
        if (card.Manual.Count > 0 && card.Gate is { IsOpen: true })
        {
            text.AppendLine("  Confirmed by approving");
            foreach (var item in card.Manual) text.AppendLine($"    [ ] {item}");
        }
        if (card.Procedure.Count > 0)
        {
            text.AppendLine().AppendLine("  Plan");
            for (var i = 0; i < card.Procedure.Count; i++) AppendStep(text, i, card.Procedure[i]);
        }
        if (card.Rollback.Count > 0)
        {
            text.AppendLine(card.RollbackStarted ? "  Rollback" : "  Rollback (only if the plan or the validation fails)");
            for (var i = 0; i < card.Rollback.Count; i++) AppendStep(text, i, card.Rollback[i]);
        }
        if (card.Validations.Count > 0)
        {
            text.AppendLine("  Validation");
            foreach (var check in card.Validations) text.AppendLine($"    {Mark(check.Outcome)} {check.Title}: {check.Evidence}");
        }
        if (card.Gate is { } gate)
        {
            text.AppendLine().AppendLine("  Gate: " + gate.Policy);
            if (card.PlanHash is { } hash)
            {
                text.AppendLine(gate.IsOpen ? $"    Plan {hash}: an approval is for this plan; if it changes before execution, the approvals are void." : $"    Plan {hash}");
            }
            if (card.PlanChanges.Count > 0)
            {
                text.AppendLine("    ⚠ The plan changed after it was approved; approvals are void. What changed:");
                foreach (var change in card.PlanChanges) text.AppendLine("      • " + change);
            }
            if (gate.Note is { } note) text.AppendLine("    " + note);
            foreach (var approval in gate.Approvals) text.AppendLine("    ✓ approved by " + approval);
            if (gate.Decision is { } decision) text.AppendLine("    " + decision);
            if (gate.IsOpen) text.AppendLine($"    Type `approve {card.RunId}` or `reject {card.RunId} [reason]`; the requester can `cancel {card.RunId}`.");
        }
        if (card.Decision is { } parked)
        {
            text.AppendLine().AppendLine("  Decision needed: " + parked.Question);
            foreach (var fact in parked.Evidence) text.AppendLine($"    {fact.Label + ":",-28}{fact.Value}");
            text.AppendLine("  Who decides: " + parked.WhoDecides);
            foreach (var choice in parked.Choices) text.AppendLine($"    `{choice.Verb} {card.RunId}` {choice.Label}: {choice.Explanation}");
        }
        if (card.Gotchas.Count > 0)
        {
            text.AppendLine("  Gotchas");
            foreach (var gotcha in card.Gotchas) text.AppendLine("    • " + gotcha);
        }
        if (card.HumanActions.Count > 0)
        {
            text.AppendLine().AppendLine("  What a human must do now");
            foreach (var action in card.HumanActions) text.AppendLine("    → " + action);
        }
        text.Append(rule);
        return text.ToString();
    }

    private static void AppendStep(StringBuilder text, int index, CardStep step) =>
        text.AppendLine($"    {index + 1}. {StepMark(step.Status)} {step.Title}{(step.Detail is { } d && step.Status != StepStatus.Pending ? " — " + d : "")}");

    private static string Icon(CardTone tone) => CardSymbols.Tone(tone);

    private static string Mark(CheckOutcome outcome) => CardSymbols.Check(outcome);

    private static string StepMark(StepStatus status) => CardSymbols.Step(status);
}
