using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Teams.Tests.Cards;

/// <summary>Run cards with every list long and every text the same, to test limits and escaping.</summary>
internal static class HugeRunCards
{
    /// <summary>Every text 5,000 ASCII characters, every list 25 to 80 items, the gate open.</summary>
    public static RunCard Ascii(RunId runId) => WithText(runId, new string('x', 5000), count: 40);

    /// <summary>Every text 3,000 emoji (each escaped as two <c>\uXXXX</c> in JSON), lists of 40.</summary>
    public static RunCard Emoji(RunId runId) => WithText(runId, string.Concat(Enumerable.Repeat("🔥", 3000)), count: 40);

    /// <summary>A card whose every text is <paramref name="text"/> (with a number) and every list has <paramref name="count"/> items.</summary>
    public static RunCard WithText(RunId runId, string text, int count)
    {
        IReadOnlyList<string> Many(string prefix) => [.. Enumerable.Range(1, count).Select(i => $"{prefix} {i} {text}")];
        return new RunCard
        {
            RunId = runId,
            Title = "Upgrade " + text,
            Subtitle = text,
            State = RunState.RollbackFailed,
            StateLabel = text,
            Tone = CardTone.Bad,
            Summary = text,
            Facts = [.. Many("Fact").Select(f => new CardFact(f, text))],
            Preconditions = [.. Many("Check").Select((t, i) => i % 7 == 6 ? CheckResult.Fail($"c{i}", t, text) : CheckResult.Pass($"c{i}", t, text))],
            Manual = Many("Manual"),
            Gate = new CardGate(text, Many("Approval"), true, TestRunCards.Start, text, text),
            Procedure = [.. Many("Step").Select((t, i) => new CardStep(t, i == count - 1 ? StepStatus.Failed : StepStatus.Done, text))],
            Rollback = [.. Many("Undo").Select(t => new CardStep(t, StepStatus.Done, text))],
            RollbackStarted = true,
            Validations = [.. Many("Validation").Select((t, i) => CheckResult.Unknown($"v{i}", t, text))],
            Gotchas = Many("Gotcha"),
            HumanActions = Many("Human"),
            TimelineTail = Many("Event"),
        };
    }
}
