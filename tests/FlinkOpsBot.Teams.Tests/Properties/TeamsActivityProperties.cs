using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlinkOpsBot.Teams.Activities;
using FlinkOpsBot.Teams.Tests.Fakes;
using FsCheck;
using static FlinkOpsBot.Testing.JsonMutations;
using FsCheck.Fluent;

namespace FlinkOpsBot.Teams.Tests.Properties;

/// <summary>
/// Arbitrary and near-valid activities (Teams traffic with members removed, nulled, of the wrong type, garbage or huge)
/// posted to <c>/api/messages</c> through the host's composition with Core's real command service: the answer is 200,
/// 400, 401 or 501, never 500 and never an exception; every answer with a body is a well-formed
/// <c>adaptiveCard/action</c> invoke response; no run is created. <see cref="MentionText"/> and
/// <see cref="ActivityReader"/> directly: never throw, and a mention plus a command gives back the command.
/// </summary>
public sealed class TeamsActivityProperties : IAsyncLifetime
{
    private const int Cases = 250;
    private static readonly string[] InvokeTypes =
        [AdaptiveCardInvokeResponse.CardType, AdaptiveCardInvokeResponse.MessageType, AdaptiveCardInvokeResponse.ErrorType];

    private TeamsTestHost _host = null!;
    private string _runId = null!;

    public async Task InitializeAsync()
    {
        _host = await TeamsTestHost.StartAsync(realPipeline: true);
        var run = TeamsRuns.AwaitingApproval(_host.Clock.GetUtcNow());
        await _host.Runs.CreateAsync(run, CancellationToken.None);
        _runId = run.Id.Value;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PostActivity_NearValidAndArbitrary_Answers200400401Or501WithWellFormedInvokeResponsesAndCreatesNoRun()
    {
        var serviceUrl = _host.Connector.ServiceUrl;
        var bodies = Gen.Frequency(
            (8, TeamsGenerators.MutatedActivity(serviceUrl, _runId).Select(a => a.ToJsonString())),
            (1, ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "")),
            (1, TeamsGenerators.MutatedActivity(serviceUrl, _runId).SelectMany(a => Gen.Choose(0, a.ToJsonString().Length).Select(k => a.ToJsonString()[..k]))));
        var requests = bodies.Zip(Gen.Frequency(
            (8, Gen.Constant<string?>(FakeTokenValidator.ValidHeader)),
            (1, Gen.Elements<string?>(null, "", "Bearer forged", "Basic dXNlcg==", FakeTokenValidator.ValidHeader + "\n"))));

        await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases), Prop.ForAll(requests.ToArbitrary(), request =>
        {
            using var response = _host.PostActivityAsync(request.Item1, request.Item2).GetAwaiter().GetResult();
            var status = (int)response.StatusCode;
            Assert.Contains(status, new[] { 200, 400, 401, 501 });
            var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            if (body.Length > 0)
            {
                Assert.Equal(200, status);
                AssertInvokeResponse(body);
            }
        })));

        var runs = await _host.Runs.ListRecentAsync(100, CancellationToken.None);
        Assert.Equal(_runId, Assert.Single(runs).Id.Value);
    }

    [Fact]
    public void ActivityReaderParse_ArbitraryBytes_NeverThrowsAndGivesAnActivityWithATypeOrNull()
    {
        var bytes = Gen.OneOf(
            ArbMap.Default.GeneratorFor<byte[]>().Select(b => b ?? []),
            ArbMap.Default.GeneratorFor<string>().Select(s => Encoding.UTF8.GetBytes(s ?? "")),
            TeamsGenerators.MutatedActivity(new Uri("https://smba.trafficmanager.net/amer/"), "R-7Q2K").Select(a => Encoding.UTF8.GetBytes(a.ToJsonString())),
            TeamsGenerators.MutatedActivity(new Uri("https://smba.trafficmanager.net/amer/"), "R-7Q2K")
                .SelectMany(a => Gen.Choose(0, 40).Select(k => Encoding.UTF8.GetBytes(a.ToJsonString()).Select((b, i) => i % 41 == k ? (byte)0xC3 : b).ToArray())));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(bytes.ToArbitrary(), b =>
        {
            var activity = ActivityReader.Parse(b);
            Assert.True(activity is null || !string.IsNullOrEmpty(activity.Type));
        }));
    }

    [Fact]
    public void RemoveMention_ArbitraryTextAndEntities_NeverThrowsAndReturnsTrimmedTextNoLongerThanTheInput()
    {
        var name = Gen.Elements("FlinkOpsBot", "flinkopsbot", "Flink (ops) bot+", "a.*b", "\\", "[", "", " ");
        var entity = from type in Gen.Elements<string?>("mention", "MENTION", "clientInfo", null)
                     from text in Gen.OneOf(ArbMap.Default.GeneratorFor<string?>(), name.Select(n => (string?)$"<at>{n}</at>"))
                     from id in Gen.Elements<string?>(TeamsTraffic.BotId, "29:someone", null, "")
                     from mentioned in Gen.OneOf(Gen.Constant<ChannelAccount?>(null), name.Select(n => (ChannelAccount?)new ChannelAccount(id, n)))
                     select new Entity(type, text, mentioned);
        var cases = from text in Gen.OneOf(ArbMap.Default.GeneratorFor<string?>(), name.Select(n => (string?)$"<at>{n}</at> status"))
                    from entities in Gen.OneOf(Gen.Constant<IReadOnlyList<Entity>?>(null), Gen.ListOf(entity.OrNull()).Select(l => (IReadOnlyList<Entity>?)[.. l]))
                    from botId in Gen.Elements<string?>(TeamsTraffic.BotId, null, "")
                    select (text, entities, botId);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var result = MentionText.RemoveMention(c.text, c.entities, c.botId);
            Assert.Equal(result.Trim(), result);
            Assert.True(result.Length <= (c.text ?? "").Length);
        }));
    }

    [Fact]
    public void CommandText_BotMentionAndOptionalPrefixBeforeACommand_GivesBackTheCommand()
    {
        var cases = from botName in Gen.Elements("FlinkOpsBot", "Flink Ops (prod)", "bot+")
                    from typedName in Gen.Elements(botName, botName.ToUpperInvariant(), botName.ToLowerInvariant())
                    from prefix in Gen.Elements("", "/flink ", "/FLINK  ")
                    from command in TeamsGenerators.CommandLine()
                    from trailing in Gen.Elements("", "\n", " \r\n", "\u00A0")
                    select (botName, text: $"<at>{typedName}</at> {prefix}{command}{trailing}", command: command.Trim());

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var activity = new Activity
            {
                Type = Activity.MessageType,
                Text = c.text,
                Recipient = new ChannelAccount(TeamsTraffic.BotId, c.botName),
                Entities = [new Entity("clientInfo"), new Entity(Entity.MentionType, $"<at>{c.botName}</at>", new ChannelAccount(TeamsTraffic.BotId, c.botName))],
            };
            Assert.Equal(c.command, MentionText.CommandText(activity));
        }));
    }

    /// <summary>
    /// Universal Actions' invoke response: <c>{statusCode, type, value}</c>, a card (an AdaptiveCard object), a message
    /// (a non-empty string) or an error (<c>{code, message}</c> with a 4xx status).
    /// </summary>
    private static void AssertInvokeResponse(string body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var statusCode = root.GetProperty("statusCode").GetInt32();
        var type = root.GetProperty("type").GetString();
        var value = root.GetProperty("value");
        Assert.Contains(type, InvokeTypes);
        switch (type)
        {
            case AdaptiveCardInvokeResponse.CardType:
                Assert.Equal(200, statusCode);
                Assert.Equal("AdaptiveCard", value.GetProperty("type").GetString());
                break;
            case AdaptiveCardInvokeResponse.MessageType:
                Assert.Equal(200, statusCode);
                Assert.False(string.IsNullOrWhiteSpace(value.GetString()));
                break;
            default:
                Assert.InRange(statusCode, 400, 499);
                Assert.False(string.IsNullOrWhiteSpace(value.GetProperty("code").GetString()));
                Assert.False(string.IsNullOrWhiteSpace(value.GetProperty("message").GetString()));
                break;
        }
    }
}

/// <summary>Teams traffic (<see cref="TeamsTraffic"/>) mutated member by member.</summary>
internal static class TeamsGenerators
{
    private static readonly string[] Paths =
    [
        "type", "name", "id", "channelId", "serviceUrl", "from", "from.id", "from.aadObjectId", "from.name", "conversation", "conversation.id",
        "conversation.tenantId", "recipient", "recipient.id", "text", "entities", "entities.0", "entities.0.mentioned", "entities.0.mentioned.id",
        "entities.0.text", "attachments", "value", "value.action", "value.action.type", "value.action.verb", "value.action.data",
        "value.action.data.runId", "value.runId", "value.verb", "channelData", "channelData.tenant", "channelData.tenant.id", "replyToId",
    ];

    /// <summary>One of the four shapes of Teams traffic with up to four members changed.</summary>
    public static Gen<JsonObject> MutatedActivity(Uri serviceUrl, string runId) =>
        from shape in Gen.Choose(0, 3)
        from command in CommandLine()
        from verb in Gen.Elements("approve", "reject", "refresh", "Approve", "delete", "")
        from targetRun in Gen.Elements(runId, runId.ToLowerInvariant(), "R-9ZZZ", "R-0000", "")
        from count in Gen.Choose(0, 4)
        from mutations in Gen.ArrayOf(Mutation(runId), count)
        select mutations.Aggregate(
            shape switch
            {
                0 => TeamsTraffic.ChannelMention(serviceUrl, command),
                1 => TeamsTraffic.Personal(serviceUrl, command),
                2 => TeamsTraffic.CardAction(serviceUrl, verb, targetRun),
                _ => TeamsTraffic.Submit(serviceUrl, verb, targetRun),
            },
            (json, mutate) => mutate(json));

    /// <summary>A line a person might send the bot: a command, nearly one, or nothing of the kind.</summary>
    public static Gen<string> CommandLine() => Gen.OneOf(
        Gen.Elements("help", "status", "runs", "approve last", "approve R-7Q2K", "reject R-7Q2K not now", "upgrade orders-enricher --jar x.jar",
            "upgrade orders-enricher --jar x.jar --parallelism zero", "upgrade \u201Corders-enricher\u201D \u2014jar x.jar", "timeline R-0000", "frobnicate"),
        Gen.ListOf(Gen.Elements("a", "b", "R-7Q2K", "--jar", "x.jar", "-", "=", "'q'")).Select(ws => "status " + string.Join(' ', ws)));

    private static Gen<Func<JsonObject, JsonObject>> Mutation(string runId) =>
        from path in Gen.Elements(Paths)
        from replacement in Gen.OneOf(
            Gen.Constant(Remove),
            Gen.Elements<Func<JsonNode?>>(() => null, () => 42, () => false, () => new JsonArray(), () => new JsonObject(), () => new JsonArray(null, 1)),
            Gen.Elements("", " ", "message", "invoke", "adaptiveCard/action", "msteams", "slack", "Action.Execute", "Action.Submit", "approve",
                    "refresh", runId, "R-0000", "ftp://x/", "http://h/?q=1", "not a url", "\u0000", "\uD800", "<at>FlinkOpsBot</at>")
                .Select(s => (Func<JsonNode?>)(() => s)),
            ArbMap.Default.GeneratorFor<string>().Select(s => (Func<JsonNode?>)(() => s ?? "")),
            Gen.Constant<Func<JsonNode?>>(() => new string('x', 100_000)))
        select (Func<JsonObject, JsonObject>)(json => Apply(json, path.Split('.'), Safe(path, replacement)));

    /// <summary>A serviceUrl stays one the bot may not call unless it is the fake Connector's (no request leaves the machine).</summary>
    private static Func<JsonNode?> Safe(string path, Func<JsonNode?> replacement)
    {
        if (path != "serviceUrl" || replacement == Remove) return replacement;
        return () => replacement() is JsonValue v && v.GetValueKind() == JsonValueKind.String ? "not-http:" + v.GetValue<string>() : replacement();
    }
}
