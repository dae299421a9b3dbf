using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Teams.Cards;

namespace FlinkOpsBot.Teams.Tests.Cards;

public class AdaptiveCardRendererTests
{
    private static readonly RunId RunId = RunId.Parse("R-7Q2K");
    private readonly AdaptiveCardRenderer _renderer = new();

    public static TheoryData<RunState> States => [.. Enum.GetValues<RunState>()];

    /// <summary>States whose card has a closed gate and no pending decision (a parked run shows its four choices instead).</summary>
    public static TheoryData<RunState> ClosedGateStates => [.. Enum.GetValues<RunState>().Where(s => TestRunCards.For(s) is { Gate.IsOpen: false, Decision: null })];

    [Fact]
    public void Render_AnyCard_IsVersion15WithSchemaFallbackTextAndFullWidth()
    {
        var card = _renderer.RenderShared(TestRunCards.AwaitingApproval(RunId), null);

        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        Assert.Equal("1.5", (string?)card["version"]);
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", (string?)card["$schema"]);
        Assert.Equal("Upgrade orders-enricher — Waiting for approval", (string?)card["fallbackText"]);
        Assert.Equal("Full", (string?)card["msteams"]!["width"]);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void RenderShared_AnyState_HasButtonsExactlyWhileTheGateIsOpenAndRefreshesForTheGivenUsers(RunState state)
    {
        var card = TestRunCards.For(state);

        var json = _renderer.RenderShared(card, ["29:1a2b", "29:3c4d"]);

        Assert.Equal(card.Gate is { IsOpen: true } || card.Decision is not null ? 1 : 0, CardJson.OfType(json["body"]!, "ActionSet").Count);
        Assert.Null(json["actions"]);
        var refresh = json["refresh"]!.AsObject();
        Assert.Equal("Action.Execute", (string?)refresh["action"]!["type"]);
        Assert.Equal("refresh", (string?)refresh["action"]!["verb"]);
        Assert.Equal(card.RunId.Value, (string?)refresh["action"]!["data"]!["runId"]);
        Assert.Equal(["29:1a2b", "29:3c4d"], refresh["userIds"]!.AsArray().Select(id => (string?)id));
    }

    [Fact]
    public void RenderShared_NullUserIds_RefreshesWithoutUserIds()
    {
        var json = _renderer.RenderShared(TestRunCards.AwaitingApproval(RunId), null);

        Assert.False(json["refresh"]!.AsObject().ContainsKey("userIds"));
        Assert.Equal("refresh", (string?)json["refresh"]!["action"]!["verb"]);
    }

    [Fact]
    public void RenderShared_MoreThan60UserIds_NamesTheFirst60Distinct()
    {
        var ids = Enumerable.Range(1, 80).Select(i => $"29:user{i}").Prepend("29:user1").ToList();

        var json = _renderer.RenderShared(TestRunCards.AwaitingApproval(RunId), ids);

        var userIds = json["refresh"]!["userIds"]!.AsArray().Select(id => (string?)id).ToList();
        Assert.Equal(60, userIds.Count);
        Assert.Equal(ids.Distinct().Take(60), userIds);
    }

    [Fact]
    public void RenderShared_OpenGate_TellsHowToDecideByButtonOrByTyping()
    {
        var text = CardJson.Text(_renderer.RenderShared(TestRunCards.AwaitingApproval(RunId), null));

        Assert.Contains("approve R-7Q2K", text, StringComparison.Ordinal);
        Assert.Contains("reject R-7Q2K <reason>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderFor_DecidingViewerWithOpenGate_ShowsApproveAndRejectWithSubmitFallbacks()
    {
        var json = _renderer.RenderFor(TestRunCards.AwaitingApproval(RunId), new CardViewer(CanDecide: true));

        var actionSet = Assert.Single(CardJson.OfType(json, "ActionSet"));
        var actions = actionSet["actions"]!.AsArray().Select(a => a!.AsObject()).ToList();
        Assert.Equal(["Approve", "Reject"], actions.Select(a => (string?)a["title"]));
        Assert.All(actions, a => Assert.Equal("Action.Execute", (string?)a["type"]));
        Assert.Equal(["approve", "reject"], actions.Select(a => (string?)a["verb"]));
        Assert.Equal(["positive", "destructive"], actions.Select(a => (string?)a["style"]));
        Assert.All(actions, a => Assert.True(JsonNode.DeepEquals(new JsonObject { ["runId"] = "R-7Q2K" }, a["data"])));
        var fallbacks = actions.Select(a => a["fallback"]!.AsObject()).ToList();
        Assert.All(fallbacks, f => Assert.Equal("Action.Submit", (string?)f["type"]));
        Assert.Equal(["Approve", "Reject"], fallbacks.Select(f => (string?)f["title"]));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["runId"] = "R-7Q2K", ["verb"] = "approve" }, fallbacks[0]["data"]));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["runId"] = "R-7Q2K", ["verb"] = "reject" }, fallbacks[1]["data"]));
    }

    [Fact]
    public void RenderShared_OpenGateWithAPlan_ApproveCarriesThePlanHashAndCancelFollowsReject()
    {
        var card = TestRunCards.AwaitingApproval(RunId) with { PlanHash = "1a2b3c4d", PlanChanges = ["Current parallelism changed: 4 → 6 (the job was rescaled)"] };

        var json = _renderer.RenderShared(card, null);

        var actions = Assert.Single(CardJson.OfType(json, "ActionSet"))["actions"]!.AsArray().Select(a => a!.AsObject()).ToList();
        Assert.Equal(["approve", "reject", "cancel"], actions.Select(a => (string?)a["verb"]));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["runId"] = "R-7Q2K", ["planHash"] = "1a2b3c4d" }, actions[0]["data"]));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["runId"] = "R-7Q2K", ["verb"] = "approve", ["planHash"] = "1a2b3c4d" }, actions[0]["fallback"]!["data"]));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["runId"] = "R-7Q2K" }, actions[2]["data"]));
        var text = CardJson.Text(json);
        Assert.Contains("1a2b3c4d", text, StringComparison.Ordinal);
        Assert.Contains(": an approval is for this plan", text, StringComparison.Ordinal);
        Assert.Contains("approvals are void", text, StringComparison.Ordinal);
        Assert.Contains("Current parallelism changed: 4 → 6 (the job was rescaled)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderFor_RequesterWhoMayNotApprove_SeesOnlyCancel()
    {
        var json = _renderer.RenderFor(TestRunCards.AwaitingApproval(RunId), new CardViewer(CanDecide: false, "You requested R-7Q2K, so someone else must approve it.", CanCancel: true));

        var actions = Assert.Single(CardJson.OfType(json, "ActionSet"))["actions"]!.AsArray();
        Assert.Equal(["cancel"], actions.Select(a => (string?)a!["verb"]));
    }

    [Fact]
    public void RenderShared_Parked_ShowsTheEvidenceAndFourChoicesWithSubmitFallbacks()
    {
        var card = TestRunCards.For(RunState.AwaitingDecision);

        var json = _renderer.RenderShared(card, ["29:1a2b"]);

        var actions = Assert.Single(CardJson.OfType(json, "ActionSet"))["actions"]!.AsArray().Select(a => a!.AsObject()).ToList();
        Assert.Equal(["retry", "continue", "rollback", "abandon"], actions.Select(a => (string?)a["verb"]));
        Assert.All(actions, a => Assert.True(JsonNode.DeepEquals(new JsonObject { ["runId"] = card.RunId.Value }, a["data"])));
        Assert.All(actions, a => Assert.Equal((string?)a["verb"], (string?)a["fallback"]!["data"]!["verb"]));
        Assert.Contains("CANCELED", CardJson.Text(json), StringComparison.Ordinal);
    }

    [Fact]
    public void RenderFor_Parked_ShowsTheChoicesOnlyToAViewerWhoMayDecide()
    {
        var card = TestRunCards.For(RunState.AwaitingDecision);

        var decider = _renderer.RenderFor(card, new CardViewer(CanDecide: true));
        var requester = _renderer.RenderFor(card, new CardViewer(CanDecide: false, $"You requested {card.RunId}, so another approver must decide how it goes on."));

        Assert.Equal(4, Assert.Single(CardJson.OfType(decider, "ActionSet"))["actions"]!.AsArray().Count);
        Assert.Empty(CardJson.OfType(requester, "ActionSet"));
        Assert.Contains("Decision needed", CardJson.Text(requester), StringComparison.Ordinal);
    }

    [Fact]
    public void RenderFor_DecidingViewerWithOpenGate_PlacesButtonsRightAfterTheGate()
    {
        var body = CardJson.Body(_renderer.RenderFor(TestRunCards.AwaitingApproval(RunId), new CardViewer(CanDecide: true)));

        var buttons = body.Select(e => (string?)e!["type"]).ToList().IndexOf("ActionSet");
        Assert.Contains("Approval gate", CardJson.Text(new JsonObject { ["body"] = new JsonArray(body[buttons - 1]!.DeepClone()) }), StringComparison.Ordinal);
    }

    [Fact]
    public void RenderFor_ViewerWhoMayNotDecide_ShowsTheNoticeFirstAndNoButtons()
    {
        var json = _renderer.RenderFor(TestRunCards.AwaitingApproval(RunId), new CardViewer(CanDecide: false, "You requested R-7Q2K, so someone else must approve it."));

        Assert.Empty(CardJson.OfType(json, "ActionSet"));
        var first = CardJson.Body(json)[0]!;
        var notice = Assert.Single(CardJson.OfType(first, "TextRun"));
        Assert.Equal("You requested R-7Q2K, so someone else must approve it.", (string?)notice["text"]);
        Assert.Equal("attention", (string?)notice["color"]);
        Assert.DoesNotContain("approve R-7Q2K", CardJson.Text(json), StringComparison.Ordinal);
    }

    [Fact]
    public void RenderFor_NoNotice_StartsWithTheHeader()
    {
        var json = _renderer.RenderFor(TestRunCards.AwaitingApproval(RunId), new CardViewer(CanDecide: true));

        var title = CardJson.OfType(CardJson.Body(json)[0]!, "TextRun")[0];
        Assert.Equal("Upgrade orders-enricher", (string?)title["text"]);
        Assert.Equal("bolder", (string?)title["weight"]);
        Assert.Equal("medium", (string?)title["size"]);
    }

    [Theory]
    [MemberData(nameof(ClosedGateStates))]
    public void RenderFor_DecidingViewerWithClosedGate_ShowsNoButtons(RunState state)
    {
        var json = _renderer.RenderFor(TestRunCards.For(state), new CardViewer(CanDecide: true));

        Assert.Empty(CardJson.OfType(json, "ActionSet"));
    }

    [Fact]
    public void RenderFor_DecidingViewerWithoutGate_ShowsNoButtons()
    {
        var json = _renderer.RenderFor(TestRunCards.For(RunState.CheckingPreconditions), new CardViewer(CanDecide: true));

        Assert.Empty(CardJson.OfType(json, "ActionSet"));
    }

    [Fact]
    public void RenderFor_AnyViewer_KeepsAManualOnlyRefresh()
    {
        var json = _renderer.RenderFor(TestRunCards.AwaitingApproval(RunId), new CardViewer(CanDecide: true));

        var refresh = json["refresh"]!;
        Assert.Equal("refresh", (string?)refresh["action"]!["verb"]);
        Assert.Equal("R-7Q2K", (string?)refresh["action"]!["data"]!["runId"]);
        Assert.Empty(refresh["userIds"]!.AsArray());
    }

    [Theory]
    [InlineData(CardTone.Good, "good")]
    [InlineData(CardTone.Warning, "warning")]
    [InlineData(CardTone.Bad, "attention")]
    [InlineData(CardTone.Neutral, "default")]
    public void Render_Tone_ColoursTheStateLabel(CardTone tone, string color)
    {
        var card = TestRunCards.AwaitingApproval(RunId) with { Tone = tone, StateLabel = "Some state" };

        var json = _renderer.RenderShared(card, null);

        var label = Assert.Single(CardJson.OfType(json, "TextRun"), r => ((string?)r["text"])!.EndsWith("Some state", StringComparison.Ordinal));
        Assert.Equal(color, (string?)label["color"]);
    }

    [Fact]
    public void Render_AwaitingApproval_ShowsEverySection()
    {
        var text = CardJson.Text(_renderer.RenderShared(TestRunCards.AwaitingApproval(RunId), null));

        Assert.Contains("Preconditions passed; waiting for 1 approval.", text, StringComparison.Ordinal);
        Assert.Contains("Savepoint directory: s3://flink/savepoints/orders-enricher", text, StringComparison.Ordinal);
        Assert.Contains("Recent checkpoint", text, StringComparison.Ordinal);
        Assert.Contains("☐ The change is state-compatible: no removed or renamed stateful operators.", text, StringComparison.Ordinal);
        Assert.Contains("Checklist (confirmed by approving)", text, StringComparison.Ordinal);
        Assert.Contains("1. ▫️ Stop orders-enricher with a savepoint", text, StringComparison.Ordinal);
        Assert.Contains("Rollback (only if the plan or the validation fails)", text, StringComparison.Ordinal);
        Assert.Contains("1 approval by someone other than the requester; expires 09:30 UTC", text, StringComparison.Ordinal);
        Assert.Contains("• A savepoint taken with drain fires event-time timers early.", text, StringComparison.Ordinal);
        Assert.Contains("09:00:02 preconditions passed", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_GateNote_IsItalicAndSubtle()
    {
        var json = _renderer.RenderShared(TestRunCards.AwaitingApproval(RunId), null);

        var note = Assert.Single(CardJson.OfType(json, "TextRun"), r => (string?)r["text"] == "Local mode: self-approval is allowed");
        Assert.True((bool?)note["italic"]);
        Assert.True((bool?)note["isSubtle"]);
    }

    [Fact]
    public void Render_CheckLine_ShowsMarkBoldTitleAndEvidence()
    {
        var json = _renderer.RenderShared(TestRunCards.For(RunState.PreconditionsFailed), null);

        var line = CardJson.OfType(json, "RichTextBlock").Single(b => b.ToJsonString().Contains("14 min ago", StringComparison.Ordinal));
        var runs = line["inlines"]!.AsArray();
        Assert.Equal(["❌ ", "Recent checkpoint", ": last completed 14 min ago, interval 10 s"], runs.Select(r => (string?)r!["text"]));
        Assert.Equal("bolder", (string?)runs[1]!["weight"]);
    }

    [Theory]
    [InlineData(RunState.Rejected, "Rejected by @ana at 09:07 UTC: not during peak")]
    [InlineData(RunState.Succeeded, "✓ approved by @ana at 09:05 UTC")]
    public void Render_ClosedGate_ShowsTheDecisionAndApprovalsButNotTheChecklistOrGotchas(RunState state, string expected)
    {
        var text = CardJson.Text(_renderer.RenderShared(TestRunCards.For(state), null));

        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.DoesNotContain("confirmed by approving", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Gotchas", text, StringComparison.Ordinal);
        Assert.DoesNotContain("approve R-", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RollbackFailed_ShowsHumanActionsProminentlyBeforeTheSummary()
    {
        var json = _renderer.RenderShared(TestRunCards.For(RunState.RollbackFailed), null);

        var container = CardJson.Body(json)[1]!.AsObject();
        Assert.Equal("attention", (string?)container["style"]);
        var text = CardJson.Text(new JsonObject { ["body"] = new JsonArray(container.DeepClone()) });
        Assert.Contains("What a human must do now", text, StringComparison.Ordinal);
        Assert.Contains("→ Page the on-call owner of orders-enricher.", text, StringComparison.Ordinal);
        Assert.All(CardJson.OfType(container, "TextRun"), r => Assert.Equal("attention", (string?)r["color"]));
        Assert.Contains("Rollback\n", CardJson.Text(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StepDetail_ShownOnceTheStepStarted()
    {
        var text = CardJson.Text(_renderer.RenderShared(TestRunCards.For(RunState.Failed), null));

        Assert.Contains("1. ❌ Stop orders-enricher with a savepoint\n — savepoint timed out after 600 s", text, StringComparison.Ordinal);
        Assert.Contains("2. ⏭️ Submit orders-enricher-2.4.0.jar", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Render_AnyState_EveryTextBlockWraps(RunState state)
    {
        var json = _renderer.RenderFor(TestRunCards.For(state), new CardViewer(true, "notice"));

        Assert.All(CardJson.OfType(json, "TextBlock"), block => Assert.True((bool?)block["wrap"]));
    }
}
