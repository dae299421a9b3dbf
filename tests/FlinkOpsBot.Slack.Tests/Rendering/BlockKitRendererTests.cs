using System.Text.Json;
using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Slack.Rendering;
using FlinkOpsBot.Slack.Tests.Fakes;
using FlinkOpsBot.Slack.WebApi;

namespace FlinkOpsBot.Slack.Tests.Rendering;

public class BlockKitRendererTests
{
    private static readonly RunId RunId = RunId.Parse("R-7Q2K");

    [Fact]
    public void Render_HugeCard_StaysWithinBlockKitLimits()
    {
        var huge = new string('x', 5000);
        var card = TestRuns.AwaitingApproval(RunId) with
        {
            Title = "Upgrade " + new string('o', 300),
            Subtitle = huge,
            Summary = huge,
            Facts = Enumerable.Range(1, 25).Select(i => new CardFact($"Fact {i}", huge)).ToList(),
            Preconditions = Enumerable.Range(1, 80).Select(i => CheckResult.Fail($"c{i}", $"Check {i}", huge)).ToList(),
            Manual = Enumerable.Range(1, 40).Select(_ => huge).ToList(),
            Procedure = Enumerable.Range(1, 60).Select(i => new CardStep($"Step {i} {huge}", StepStatus.Failed, huge)).ToList(),
            Rollback = Enumerable.Range(1, 60).Select(i => new CardStep($"Undo {i}", StepStatus.Done, huge)).ToList(),
            RollbackStarted = true,
            Validations = Enumerable.Range(1, 40).Select(i => CheckResult.Unknown($"v{i}", $"Validation {i}", huge)).ToList(),
            Gate = new CardGate(huge, Enumerable.Range(1, 30).Select(_ => huge).ToList(), true, TestRuns.Start, huge, huge),
            Gotchas = Enumerable.Range(1, 25).Select(_ => huge).ToList(),
            HumanActions = Enumerable.Range(1, 30).Select(_ => huge).ToList(),
            TimelineTail = Enumerable.Range(1, 30).Select(_ => huge).ToList(),
            Decision = Parked with { Question = huge, Evidence = Enumerable.Range(1, 40).Select(i => new CardFact($"e{i}", huge)).ToList() },
        };

        var blocks = Json(card);

        Assert.Empty(BlockKitLimits.Violations(blocks));
    }

    [Fact]
    public void Render_EmptySummaryAndSubtitle_LeavesNoEmptyText()
    {
        var card = TestRuns.AwaitingApproval(RunId) with { Summary = "", Subtitle = "" };

        Assert.Empty(BlockKitLimits.Violations(Json(card)));
    }

    private static readonly CardDecision Parked = new(
        "“Stop orders-enricher with a savepoint” is uncertain: Flink no longer knows the stop's trigger id",
        [new("jobStatus", "CANCELED"), new("triggerId", "0123456789abcdef0123456789abcdef")],
        [
            new("retry", "Retry step", "run the uncertain step again"),
            new("continue", "Continue", "you found the savepoint"),
            new("rollback", "Roll back", "run the rollback plan now"),
            new("abandon", "Abandon", "end the run and leave the cluster as it is"),
        ],
        "anyone in the channel (not the requester)");

    [Fact]
    public void Render_Parked_ShowsTheEvidenceAndFourDecisionButtonsCarryingTheRunId()
    {
        var card = TestRuns.AwaitingApproval(RunId) with { State = RunState.AwaitingDecision, Gate = null, Decision = Parked };

        var blocks = Json(card);

        var actions = Assert.Single(blocks.EnumerateArray(), b => b.GetProperty("type").GetString() == "actions");
        var buttons = actions.GetProperty("elements").EnumerateArray().ToList();
        Assert.Equal(["retry", "continue", "rollback", "abandon"], buttons.Select(b => b.GetProperty("action_id").GetString()));
        Assert.All(buttons, b => Assert.Equal("R-7Q2K", b.GetProperty("value").GetString()));
        Assert.True(buttons[3].TryGetProperty("confirm", out _));
        Assert.True(buttons[2].TryGetProperty("confirm", out _));
        Assert.False(buttons[0].TryGetProperty("confirm", out _));
        Assert.Contains("jobStatus: CANCELED", blocks.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(BlockKitLimits.Violations(blocks));
    }

    [Fact]
    public void Render_GateOpen_ShowsApproveWithAConfirmationRejectAndCancelCarryingTheRunId()
    {
        var blocks = Json(TestRuns.AwaitingApproval(RunId));

        var actions = Assert.Single(blocks.EnumerateArray(), b => b.GetProperty("type").GetString() == "actions");
        var buttons = actions.GetProperty("elements").EnumerateArray().ToList();
        Assert.Equal(["approve", "reject", "cancel"], buttons.Select(b => b.GetProperty("action_id").GetString()));
        Assert.All(buttons, b => Assert.Equal("R-7Q2K", b.GetProperty("value").GetString()));
        Assert.Equal(["primary", "danger"], buttons.Take(2).Select(b => b.GetProperty("style").GetString()));
        Assert.False(buttons[2].TryGetProperty("style", out _));
        var confirm = buttons[0].GetProperty("confirm");
        Assert.Contains("1. Stop orders-enricher with a savepoint; 2. Submit orders-enricher-2.4.0.jar from the savepoint",
            confirm.GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.False(buttons[1].TryGetProperty("confirm", out _));
        Assert.Contains("Only the requester can cancel", buttons[2].GetProperty("confirm").GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_GateOpenWithAPlan_ApproveCarriesThePlanHashAndTheGateShowsIt()
    {
        var card = TestRuns.AwaitingApproval(RunId) with { PlanHash = "1a2b3c4d" };

        var blocks = Json(card);

        var buttons = Assert.Single(blocks.EnumerateArray(), b => b.GetProperty("type").GetString() == "actions").GetProperty("elements").EnumerateArray().ToList();
        Assert.Equal(["R-7Q2K:1a2b3c4d", "R-7Q2K", "R-7Q2K"], buttons.Select(b => b.GetProperty("value").GetString()));
        Assert.StartsWith("You approve plan 1a2b3c4d; the bot will run:", buttons[0].GetProperty("confirm").GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Plan `1a2b3c4d`: an approval is for this plan", SectionText(blocks, "*Approval gate:*"), StringComparison.Ordinal);
        Assert.Empty(BlockKitLimits.Violations(blocks));
    }

    [Fact]
    public void Render_PlanChangedAfterApproval_SaysTheApprovalsAreVoidAndWhatChanged()
    {
        var card = TestRuns.AwaitingApproval(RunId) with
        {
            PlanHash = "5e6f7a8b",
            PlanChanges = ["No recent checkpoint failures: failedSinceStart=0; latestFailed=none → failedSinceStart=1; latestFailed=12"],
        };

        var gate = SectionText(Json(card), "*Approval gate:*");

        Assert.Contains("*The plan changed after it was approved; approvals are void.* What changed:\n• No recent checkpoint failures: failedSinceStart=0; latestFailed=none → failedSinceStart=1; latestFailed=12",
            gate, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_GateClosed_ShowsTheDecisionAndNoButtons()
    {
        var card = TestRuns.AwaitingApproval(RunId) with
        {
            State = RunState.Rejected,
            Gate = TestRuns.AwaitingApproval(RunId).Gate! with { IsOpen = false, Decision = "Rejected by <@U0ANA> at 09:07 UTC: not during peak" },
        };

        var blocks = Json(card);

        Assert.DoesNotContain(blocks.EnumerateArray(), b => b.GetProperty("type").GetString() == "actions");
        Assert.Contains("Rejected by <@U0ANA> at 09:07 UTC: not during peak", AllText(blocks), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoGate_NoButtons()
    {
        var blocks = Json(TestRuns.AwaitingApproval(RunId) with { Gate = null, State = RunState.PreconditionsFailed });

        Assert.DoesNotContain(blocks.EnumerateArray(), b => b.GetProperty("type").GetString() == "actions");
    }

    [Fact]
    public void Render_OneHugeEvidence_IsCutWithAnEllipsisWhileTheOtherChecksStayWhole()
    {
        var card = TestRuns.AwaitingApproval(RunId) with
        {
            Preconditions =
            [
                CheckResult.Pass("job-running", "Job is RUNNING", "RUNNING for 3 d"),
                CheckResult.Fail("no-failed-checkpoints", "No failed checkpoints", "java.io.IOException: " + new string('s', 6000)),
                CheckResult.Unknown("parallelism-fits", "Parallelism fits", "cluster did not answer /overview"),
            ],
        };

        var section = SectionText(Json(card), "*Preconditions*");

        Assert.InRange(section.Length, 2900, 3000);
        Assert.Contains("✅ *Job is RUNNING*: RUNNING for 3 d\n", section, StringComparison.Ordinal);
        Assert.Contains("s…\n", section, StringComparison.Ordinal);
        Assert.EndsWith("❔ *Parallelism fits*: cluster did not answer /overview", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DynamicText_IsEscapedButMentionsStayMentions()
    {
        var card = TestRuns.AwaitingApproval(RunId) with
        {
            Preconditions = [CheckResult.Fail("lag", "Consumer lag <5 min", "lag 7 min & rising <!channel>")],
        };

        var text = AllText(Json(card));

        Assert.Contains("❌ *Consumer lag &lt;5 min*: lag 7 min &amp; rising &lt;!channel&gt;", text, StringComparison.Ordinal);
        Assert.Contains("requested by <@U0BO>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_GateOpen_ShowsTheManualChecklistAsConfirmedByApproving()
    {
        var section = SectionText(Json(TestRuns.AwaitingApproval(RunId)), "*Confirmed by approving*");

        Assert.Equal("*Confirmed by approving*\n☐ The change is state-compatible: no removed or renamed stateful operators.", section);
    }

    [Fact]
    public void Render_GateClosed_HidesTheManualChecklist()
    {
        var card = TestRuns.AwaitingApproval(RunId) with { Gate = TestRuns.AwaitingApproval(RunId).Gate! with { IsOpen = false } };

        Assert.DoesNotContain("Confirmed by approving", AllText(Json(card)), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HumanActions_ComeRightAfterTheTitleAndState()
    {
        var card = TestRuns.AwaitingApproval(RunId) with
        {
            State = RunState.RollbackFailed,
            Tone = CardTone.Bad,
            HumanActions = ["Start orders-enricher-2.3.1.jar from s3://savepoints/sp-1 by hand."],
        };

        var blocks = Json(card).EnumerateArray().ToList();

        Assert.Equal(["header", "context", "section"], blocks.Take(3).Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("🚨 *What a human must do now*\n→ Start orders-enricher-2.3.1.jar from s3://savepoints/sp-1 by hand.",
            blocks[2].GetProperty("text").GetProperty("text").GetString());
        Assert.StartsWith("❌ ", blocks[1].GetProperty("elements")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Steps_ShowStatusAndDetailOnceStarted()
    {
        var card = TestRuns.AwaitingApproval(RunId) with
        {
            Procedure =
            [
                new("Stop with a savepoint", StepStatus.Done, "s3://savepoints/sp-1"),
                new("Submit the new jar", StepStatus.Running, "job 9f8e…"),
                new("Wait for RUNNING", StepStatus.Pending, "not shown while pending"),
            ],
        };

        Assert.Equal("*Plan*\n1. ✅ Stop with a savepoint — s3://savepoints/sp-1\n2. ⏳ Submit the new jar — job 9f8e…\n3. ▫️ Wait for RUNNING",
            SectionText(Json(card), "*Plan*"));
    }

    [Fact]
    public void Render_ElevenFacts_KeepsTenFieldsWithTheRestInTheLast()
    {
        var card = TestRuns.AwaitingApproval(RunId) with { Facts = Enumerable.Range(1, 11).Select(i => new CardFact($"F{i}", $"v{i}")).ToList() };

        var fields = Json(card).EnumerateArray().Single(b => b.TryGetProperty("fields", out _)).GetProperty("fields");

        Assert.Equal(10, fields.GetArrayLength());
        Assert.Equal("*F1*\nv1", fields[0].GetProperty("text").GetString());
        Assert.Equal("*More*\nF10: v10\nF11: v11", fields[9].GetProperty("text").GetString());
    }

    [Fact]
    public void FallbackText_IsTheEscapedTitleAndState()
    {
        var card = TestRuns.AwaitingApproval(RunId) with { Title = "Upgrade R&D-enricher" };

        Assert.Equal("Upgrade R&amp;D-enricher — Waiting for approval", BlockKitRenderer.FallbackText(card));
    }

    [Fact]
    public void ThreadReply_Events_OneUtcLineEachInOrder()
    {
        var events = new[]
        {
            TestRuns.Event(RunId, 3, TimeSpan.FromMinutes(5), "stop-with-savepoint triggered (trigger id 0a1b)"),
            TestRuns.Event(RunId, 4, TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(7), "savepoint s3://sp/1 completed"),
        };
        var atOtherOffset = events[1] with { At = events[1].At.ToOffset(TimeSpan.FromHours(2)) };

        Assert.Equal("09:05:00 stop-with-savepoint triggered (trigger id 0a1b)\n09:06:07 savepoint s3://sp/1 completed",
            BlockKitRenderer.ThreadReply([events[0], atOtherOffset]));
    }

    private static JsonElement Json(RunCard card)
    {
        var message = new PostMessageRequest("C0INCIDENT", "fallback", BlockKitRenderer.Render(card));
        return JsonDocument.Parse(JsonSerializer.Serialize(message, SlackJsonContext.Default.PostMessageRequest)).RootElement.GetProperty("blocks");
    }

    private static string SectionText(JsonElement blocks, string heading) => blocks.EnumerateArray()
        .Where(b => b.GetProperty("type").GetString() == "section" && b.TryGetProperty("text", out _))
        .Select(b => b.GetProperty("text").GetProperty("text").GetString()!)
        .Single(text => text.StartsWith(heading, StringComparison.Ordinal));

    private static string AllText(JsonElement blocks) => string.Join('\n', Texts(blocks));

    private static IEnumerable<string> Texts(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => p.Name == "text" && p.Value.ValueKind == JsonValueKind.String ? [p.Value.GetString()!] : Texts(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Texts),
        _ => [],
    };
}
