using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Cards;

/// <summary>The plain-text marks the text card and the timeline use; richer renderers may choose their own.</summary>
public static class CardSymbols
{
    /// <summary>An emoji for a card's tone: ✅ good, ⚠️ warning, ❌ bad, 🔄 in progress.</summary>
    public static string Tone(CardTone tone) => tone switch
    {
        CardTone.Good => "✅",
        CardTone.Warning => "⚠️",
        CardTone.Bad => "❌",
        _ => "🔄",
    };

    /// <summary>✓ pass, ✗ fail, ? unknown.</summary>
    public static string Check(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Pass => "✓",
        CheckOutcome.Fail => "✗",
        _ => "?",
    };

    /// <summary>✓ done, ✗ failed, … running, – skipped, ? uncertain, a space when pending.</summary>
    public static string Step(StepStatus status) => status switch
    {
        StepStatus.Done => "✓",
        StepStatus.Failed => "✗",
        StepStatus.Running => "…",
        StepStatus.Skipped => "–",
        StepStatus.Uncertain => "?",
        _ => " ",
    };
}
