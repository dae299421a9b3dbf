using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Teams.Cards;

/// <summary>The colours and emoji an Adaptive Card uses for tones, checks and steps.</summary>
internal static class CardMarks
{
    /// <summary>The schema colour for a tone: <c>good</c>, <c>warning</c>, <c>attention</c> (bad) or <c>default</c>.</summary>
    public static string Color(CardTone tone) => tone switch
    {
        CardTone.Good => "good",
        CardTone.Warning => "warning",
        CardTone.Bad => "attention",
        _ => "default",
    };

    /// <summary>✅ good, ⚠️ warning, ❌ bad, 🔄 in progress.</summary>
    public static string Tone(CardTone tone) => CardSymbols.Tone(tone);

    /// <summary>✅ pass, ❌ fail, ❔ unknown.</summary>
    public static string Check(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Pass => "✅",
        CheckOutcome.Fail => "❌",
        _ => "❔",
    };

    /// <summary>✅ done, ❌ failed, ⏳ running, ⏭️ skipped, ▫️ pending.</summary>
    public static string Step(StepStatus status) => status switch
    {
        StepStatus.Done => "✅",
        StepStatus.Failed => "❌",
        StepStatus.Running => "⏳",
        StepStatus.Skipped => "⏭️",
        StepStatus.Uncertain => "❓",
        _ => "▫️",
    };
}
