using System.Text;
using System.Text.Json;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Teams.Activities;
using FlinkOpsBot.Teams.Tests.Fakes;

namespace FlinkOpsBot.Teams.Tests.Activities;

/// <summary>Parsing real-shaped Teams activities and the card action payloads.</summary>
public sealed class ActivityParsingTests
{
    private static readonly Uri ServiceUrl = new("https://smba.trafficmanager.net/amer/");

    private static Activity Parse(string json) => ActivityReader.Parse(Encoding.UTF8.GetBytes(json)) ?? throw new Xunit.Sdk.XunitException("not parsed");

    [Fact]
    public void Parse_ChannelMessageWithMention_ReadsIdentityConversationAndCommand()
    {
        var activity = Parse(TeamsTraffic.ChannelMention(ServiceUrl, "upgrade orders-enricher --jar orders-enricher-2.4.0.jar").ToJsonString());

        Assert.Equal("message", activity.Type);
        Assert.Equal("msteams", activity.ChannelId);
        Assert.Equal(TeamsTraffic.AnaObjectId, activity.From!.AadObjectId);
        Assert.Equal(TeamsTraffic.TenantId, activity.TenantId);
        Assert.Equal("channel", activity.Conversation!.ConversationType);
        Assert.Equal(TeamsTraffic.ChannelConversationId, activity.Conversation.Id);
        Assert.Equal(2, activity.Entities!.Count);
        Assert.Equal("upgrade orders-enricher --jar orders-enricher-2.4.0.jar", MentionText.CommandText(activity));
    }

    [Fact]
    public void Parse_PersonalMessage_TakesTextAsIs()
    {
        var activity = Parse(TeamsTraffic.Personal(ServiceUrl, "/flink runs").ToJsonString());

        Assert.Equal("personal", activity.Conversation!.ConversationType);
        Assert.Equal("runs", MentionText.CommandText(activity));
        Assert.Equal(new Core.Identity.Actor("teams", TeamsTraffic.TenantId, TeamsTraffic.BoObjectId, "Bo Lindqvist"), TeamsIdentity.ActorOf(activity));
    }

    [Fact]
    public void Parse_TenantOnlyInConversation_UsesIt()
    {
        var json = TeamsTraffic.Personal(ServiceUrl, "runs");
        json.Remove("channelData");
        Assert.Equal(TeamsTraffic.TenantId, Parse(json.ToJsonString()).TenantId);
    }

    [Fact]
    public void ActorOf_NoEntraObjectId_IsNull() =>
        Assert.Null(TeamsIdentity.ActorOf(Parse(TeamsTraffic.Personal(ServiceUrl, "runs", fromObjectId: null).ToJsonString())));

    [Fact]
    public void Parse_CardActionInvoke_ReadsVerbAndRunId()
    {
        var activity = Parse(TeamsTraffic.CardAction(ServiceUrl, "approve", "R-7Q2K").ToJsonString());

        Assert.Equal(("invoke", "adaptiveCard/action"), (activity.Type, activity.Name));
        var (request, error) = CardActionRequest.FromInvoke(activity.Value);
        Assert.Null(error);
        Assert.Equal("R-7Q2K", request!.RunId.Value);
        Assert.Equal(GateAction.Approve, request.Decision);
    }

    [Theory]
    [InlineData("retry", GateAction.Retry)]
    [InlineData("continue", GateAction.Continue)]
    [InlineData("rollback", GateAction.RollBack)]
    [InlineData("abandon", GateAction.Abandon)]
    public void Parse_ParkedRunVerbs_ByInvokeAndBySubmit_ReadTheDecision(string verb, GateAction expected)
    {
        var (request, error) = CardActionRequest.FromInvoke(Parse(TeamsTraffic.CardAction(ServiceUrl, verb, "R-7Q2K").ToJsonString()).Value);
        var submitted = CardActionRequest.FromSubmit(Parse(TeamsTraffic.Submit(ServiceUrl, verb, "R-7Q2K").ToJsonString()).Value);

        Assert.Null(error);
        Assert.Equal(expected, request!.Decision);
        Assert.Equal(expected, submitted!.Decision);
    }

    [Fact]
    public void Parse_ActionSubmitMessage_ReadsValue()
    {
        var activity = Parse(TeamsTraffic.Submit(ServiceUrl, "reject", "R-7Q2K").ToJsonString());

        Assert.Equal("message", activity.Type);
        Assert.Null(activity.Text);
        Assert.Equal(new CardActionRequest("reject", Core.Runs.RunId.Parse("R-7Q2K")), CardActionRequest.FromSubmit(activity.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"type\":")]
    [InlineData("{\"text\":\"no type\"}")]
    [InlineData("{\"type\":\"message\",\"from\":\"a string\"}")]
    [InlineData("{\"type\":\"message\",\"entities\":{}}")]
    public void Parse_Malformed_IsNullNotAnException(string json) =>
        Assert.Null(ActivityReader.Parse(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData(null, "BadRequest", "Missing value property")]
    [InlineData("{}", "BadRequest", "Missing action property")]
    [InlineData("{\"action\":{\"type\":\"Action.Submit\",\"verb\":\"approve\",\"data\":{\"runId\":\"R-7Q2K\"}}}", "NotSupported", "The action 'Action.Submit' is not supported.")]
    [InlineData("{\"action\":{\"type\":\"Action.Execute\",\"verb\":\"deploy\",\"data\":{\"runId\":\"R-7Q2K\"}}}", "BadRequest", "The verb 'deploy' is not supported.")]
    [InlineData("{\"action\":{\"type\":\"Action.Execute\",\"verb\":\"approve\",\"data\":{\"runId\":\"nope\"}}}", "BadRequest", "The action's data has no valid runId.")]
    [InlineData("{\"action\":{\"type\":\"Action.Execute\",\"verb\":\"approve\",\"data\":{\"runId\":\"R-7Q2K\",\"planHash\":\"xyz\"}}}", "BadRequest", "The action's data has a planHash that is not 8 hex characters.")]
    [InlineData("{\"action\":{\"type\":\"Action.Execute\",\"verb\":\"approve\",\"data\":{\"runId\":\"R-7Q2K\",\"planHash\":12345678}}}", "BadRequest", "The action's data has a planHash that is not 8 hex characters.")]
    public void FromInvoke_Malformed_GivesBotbuilderError(string? value, string code, string message)
    {
        JsonElement? element = value is null ? null : JsonDocument.Parse(value).RootElement;
        var (request, error) = CardActionRequest.FromInvoke(element);
        Assert.Null(request);
        Assert.Equal(new InvokeError(code, message), error);
    }

    [Fact]
    public void FromInvokeAndSubmit_ApproveWithAPlanHash_CarryIt()
    {
        var invoke = CardActionRequest.FromInvoke(JsonDocument.Parse("""{"action":{"type":"Action.Execute","verb":"approve","data":{"runId":"R-7Q2K","planHash":"1A2B3C4D"}}}""").RootElement);
        var submit = CardActionRequest.FromSubmit(JsonDocument.Parse("""{"runId":"R-7Q2K","verb":"approve","planHash":"1a2b3c4d"}""").RootElement);

        Assert.Equal("1a2b3c4d", invoke.Request!.PlanHash);
        Assert.Equal("1a2b3c4d", submit!.PlanHash);
        Assert.Equal(Core.Approvals.GateAction.Approve, submit.Decision);
    }

    [Fact]
    public void FromInvoke_Cancel_IsTheCancelDecision() =>
        Assert.Equal(Core.Approvals.GateAction.Cancel,
            CardActionRequest.FromInvoke(JsonDocument.Parse("""{"action":{"type":"Action.Execute","verb":"cancel","data":{"runId":"R-7Q2K"}}}""").RootElement).Request!.Decision);

    [Fact]
    public void FromSubmit_OtherCardsData_IsNull() =>
        Assert.Null(CardActionRequest.FromSubmit(JsonDocument.Parse("""{"submitLocation":"messagingExtensionSubmit","Answer":""}""").RootElement));
}
