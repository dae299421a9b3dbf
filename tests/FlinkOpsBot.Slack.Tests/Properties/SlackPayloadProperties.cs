using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Slack.Tests.Fakes;
using FsCheck;
using static FlinkOpsBot.Testing.JsonMutations;
using FsCheck.Fluent;

namespace FlinkOpsBot.Slack.Tests.Properties;

/// <summary>
/// Arbitrary and near-valid slash commands and <c>block_actions</c> clicks, signed correctly and sent through the real
/// endpoints: the answer is 200 (a reply, or an empty ack) or 400, never 500 and never an exception; a request the
/// bot cannot read never reaches the command pipeline, and one it can read reaches it exactly as sent. The pipeline is
/// a recording fake that answers with Core's real parser, so a typed line comes back as a command or a clear refusal.
/// </summary>
public sealed class SlackPayloadProperties : IAsyncLifetime
{
    private const int Cases = 250;
    private static readonly CommandParser Parser = new(RecipeCatalog.LoadBuiltIn());

    private SlackTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await SlackTestHost.StartAsync();
        _host.Commands.OnCommand = command => Task.FromResult(Parser.Parse(command.Text) switch
        {
            ParsedCommand.Invalid invalid => CommandReply.Refused($"{invalid.Problem}.\nUsage: `{invalid.Usage}`"),
            var parsed => CommandReply.Private($"understood: {parsed.GetType().Name}"),
        });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public Task PostCommand_NearValidForms_AnswerAsTheFieldsDictateAndReachThePipelineOnlyWhenReadable() => RunAsync(
        Prop.ForAll(SlackGenerators.SlashCommandForm(_host.Slack.ResponseUrl().ToString()).ToArbitrary(), form =>
        {
            var before = _host.Commands.Commands.Count;
            using var response = Post("/slack/commands", form.Body);
            var expected = form.Readable ? HttpStatusCode.OK : HttpStatusCode.BadRequest;

            Assert.Equal(expected, response.StatusCode);
            if (!form.Readable)
            {
                Assert.Equal(before, _host.Commands.Commands.Count);
                return;
            }
            var command = _host.Commands.Commands.Last();
            Assert.Equal(before + 1, _host.Commands.Commands.Count);
            Assert.Equal(form.Text, command.Text);
            Assert.Equal(form.UserId, command.Actor.Id);
            Assert.Equal(form.TeamId, command.Actor.Tenant);
            AssertReply(response);
        }));

    [Fact]
    public Task PostCommand_ArbitraryBodies_Answer200Or400AndNeverRunGarbage() => RunAsync(
        Prop.ForAll(SlackGenerators.ArbitraryBody().ToArbitrary(), body =>
        {
            var before = _host.Commands.Commands.Count;
            using var response = Post("/slack/commands", body);

            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest });
            if (response.StatusCode == HttpStatusCode.BadRequest) Assert.Equal(before, _host.Commands.Commands.Count);
            else if (_host.Commands.Commands.Count > before) AssertReply(response);
        }));

    [Fact]
    public Task PostInteraction_NearValidAndArbitraryPayloads_AnswerAsThePayloadDictatesAndNeverRunGarbage() => RunAsync(
        Prop.ForAll(SlackGenerators.InteractionBody(_host.Slack.ResponseUrl("actions").ToString()).ToArbitrary(), body =>
        {
            var before = _host.Commands.Actions.Count;
            using var response = Post("/slack/interactions", body.Form);
            var expected = BlockActionsModel.Expect(body.Payload);

            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest });
            Assert.Equal(expected.Status, response.StatusCode);
            if (response.StatusCode == HttpStatusCode.OK) Assert.Empty(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            if (expected.Action is not { } action)
            {
                Assert.Equal(before, _host.Commands.Actions.Count);
                return;
            }
            Assert.Equal(before + 1, _host.Commands.Actions.Count);
            var handed = _host.Commands.Actions.Last();
            Assert.Equal(action.RunId, handed.RunId.Value);
            Assert.Equal(action.Action, handed.Action);
            Assert.Equal(action.UserId, handed.Actor.Id);
            Assert.Equal(action.Team, handed.Actor.Tenant);
            Assert.Equal(action.Channel, handed.Channel.ConversationId);
        }));

    [Fact]
    public async Task PostInteraction_NullAmongActions_SkipsItInsteadOfFailingWith500()
    {
        var payload = $$"""{"type":"block_actions","team":{"id":"T1"},"user":{"id":"U1"},"channel":{"id":"C1"},"response_url":"{{_host.Slack.ResponseUrl("actions")}}","actions":[null,{"action_id":"approve","value":"R-7Q2K"}]}""";

        using var response = await _host.PostSignedAsync("/slack/interactions", "payload=" + SlackGenerators.Encode(payload));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("R-7Q2K", Assert.Single(_host.Commands.Actions).RunId.Value);
    }

    /// <summary>A reply Slack can show: JSON with a response type and a non-empty text.</summary>
    private static void AssertReply(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        Assert.Contains(json.RootElement.GetProperty("response_type").GetString(), new[] { "ephemeral", "in_channel" });
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("text").GetString()));
    }

    /// <summary>Posts synchronously (the property runs on a pool thread, see <see cref="RunAsync"/>); an exception escaping the app fails the case.</summary>
    private HttpResponseMessage Post(string path, string body) => _host.PostSignedAsync(path, body).GetAwaiter().GetResult();

    /// <summary>Runs the property on a pool thread, off xunit's synchronization context, so blocking on the test server cannot deadlock.</summary>
    private static Task RunAsync(Property property) =>
        Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases), property));
}

/// <summary>What the interaction endpoint should do with a <c>payload</c>, worked out from the JSON independently of the endpoint.</summary>
internal static class BlockActionsModel
{
    public sealed record Click(string RunId, GateAction Action, string UserId, string Team, string Channel);

    public sealed record Outcome(HttpStatusCode Status, Click? Action);

    private static readonly Outcome BadRequest = new(HttpStatusCode.BadRequest, null);
    private static readonly Outcome Ignored = new(HttpStatusCode.OK, null);

    public static Outcome Expect(string? payload)
    {
        if (string.IsNullOrEmpty(payload)) return BadRequest;
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(payload);
        }
        catch (JsonException)
        {
            return BadRequest;
        }
        if (root is not JsonObject o || !Fits(o)) return BadRequest;

        var clicked = Str(o, "type") == "block_actions" && o["actions"] is JsonArray actions
            ? actions.OfType<JsonObject>().FirstOrDefault(a => Action(Str(a, "action_id")) is not null)
            : null;
        if (clicked is null) return Ignored;

        var user = o["user"] as JsonObject;
        var team = Str(o["team"] as JsonObject, "id") ?? Str(user, "team_id");
        var channel = Str(o["channel"] as JsonObject, "id") ?? Str(o["container"] as JsonObject, "channel_id");
        var userId = Str(user, "id");
        var responseUrl = Str(o, "response_url");
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(team) || string.IsNullOrEmpty(channel)
            || !RunId.TryParse(Str(clicked, "value"), out var runId)
            || !Uri.TryCreate(responseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return BadRequest;
        }
        return new(HttpStatusCode.OK, new Click(runId.Value, Action(Str(clicked, "action_id"))!.Value, userId, team, channel));
    }

    private static GateAction? Action(string? actionId) => actionId switch
    {
        "approve" => GateAction.Approve,
        "reject" => GateAction.Reject,
        "cancel" => GateAction.Cancel,
        _ => null,
    };

    /// <summary>Whether every member the bot reads is absent, null or of its type (a string, an object, an array of objects).</summary>
    private static bool Fits(JsonObject o) =>
        StringsOk(o, "type", "api_app_id", "response_url")
        && ObjectOk(o, "team", "id")
        && ObjectOk(o, "user", "id", "username", "name", "team_id")
        && ObjectOk(o, "channel", "id")
        && ObjectOk(o, "container", "channel_id")
        && (o["actions"] is null || (o["actions"] is JsonArray a && a.All(x => x is null || (x is JsonObject action && StringsOk(action, "action_id", "value")))));

    private static bool ObjectOk(JsonObject o, string name, params string[] strings) =>
        o[name] is null || (o[name] is JsonObject inner && StringsOk(inner, strings));

    private static bool StringsOk(JsonObject o, params string[] names) =>
        names.All(n => o[n] is null || (o[n] is JsonValue v && v.GetValueKind() == JsonValueKind.String));

    private static string? Str(JsonObject? o, string name) => o?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}

/// <summary>Generators of Slack request bodies: form fields kept, dropped, emptied, repeated or replaced with garbage; payload JSON mutated.</summary>
internal static class SlackGenerators
{
    private static readonly string[] Required = ["team_id", "channel_id", "user_id", "command", "response_url"];

    public sealed record CommandForm(string Body, bool Readable, string Text, string? TeamId, string? UserId);

    public sealed record InteractionRequest(string Form, string? Payload);

    /// <summary>A field's fate in a near-valid form.</summary>
    private enum Fate { Keep, Drop, Empty, Twice, Garbage, Huge }

    /// <summary>A slash command form with each field possibly mutated, and whether the endpoint can read it.</summary>
    public static Gen<CommandForm> SlashCommandForm(string responseUrl) =>
        from text in Text()
        from fates in Gen.ArrayOf(FateGen(), Required.Length + 1)
        from garbage in Gen.ArrayOf(Garbage(), Required.Length + 1)
        from badUrl in Gen.Elements("ftp://hooks.example/x", "not a url", "/hooks/relative", "javascript:alert(1)", "hooks.slack.com/commands")
        from extraLongKey in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        from order in Gen.Shuffle(Enumerable.Range(0, Required.Length + 1).ToArray())
        select BuildCommand(text, fates, garbage, responseUrl, badUrl, extraLongKey, order);

    /// <summary>Bodies that are not Slack's at all: arbitrary text, broken percent-encoding, lone separators, huge values.</summary>
    public static Gen<string> ArbitraryBody() => Gen.OneOf(
        ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""),
        Gen.ListOf(Gen.Elements("%", "%z", "%E0%A4%A", "%00", "&", "=", "==", "&&", "+", "text", "team_id=T1", "user_id=", "response_url=http%3A%2F%2Fh", "command=%2Fflink", "\u00e9", "\n")).Select(p => string.Concat(p)),
        Garbage().Select(g => "text=" + Encode(g)));

    /// <summary>An interactivity form whose <c>payload</c> is a mutated block_actions click, arbitrary JSON, or not JSON.</summary>
    public static Gen<InteractionRequest> InteractionBody(string responseUrl) =>
        from payload in Gen.Frequency(
            (6, MutatedBlockActions(responseUrl).Select(p => (string?)p)),
            (1, ArbMap.Default.GeneratorFor<string?>()),
            (1, RandomJson(3).Select(n => (string?)(n?.ToJsonString() ?? "null"))),
            (1, MutatedBlockActions(responseUrl).SelectMany(p => Gen.Choose(0, p.Length).Select(k => (string?)p[..k]))),
            (1, Gen.Elements<string?>(null, "", "null", "[]", "\"block_actions\"", new string('[', 100) + new string(']', 100))))
        select new InteractionRequest(payload is null ? "token=abc" : "payload=" + Encode(payload), payload);

    /// <summary>Form encoding as Slack does it, byte by byte over UTF-8 (a lone surrogate becomes U+FFFD, as it would on the wire).</summary>
    public static string Encode(string value)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~') text.Append((char)b);
            else text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    private static string AsSent(string value) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value));

    private static CommandForm BuildCommand(string text, Fate[] fates, string[] garbage, string responseUrl, string badUrl, bool extraLongKey, int[] order)
    {
        var valid = new Dictionary<string, string>
        {
            ["team_id"] = "T0001", ["channel_id"] = "C0INCIDENT", ["user_id"] = "U0BO", ["command"] = "/flink", ["response_url"] = responseUrl,
        };
        var fields = new List<(string Name, string Value)>();
        var readable = !extraLongKey;
        string? teamId = null, userId = null;
        for (var i = 0; i < Required.Length; i++)
        {
            var name = Required[i];
            var value = fates[i] switch
            {
                Fate.Keep or Fate.Twice => valid[name],
                Fate.Empty => "",
                Fate.Huge => new string('x', 50_000),
                _ => name == "response_url" ? badUrl : garbage[i],
            };
            if (fates[i] != Fate.Drop) fields.Add((name, value));
            if (fates[i] == Fate.Twice) fields.Add((name, value));
            var sent = AsSent(value);
            var fieldOk = fates[i] != Fate.Drop && fates[i] != Fate.Twice && sent.Length > 0
                && (name != "response_url" || (Uri.TryCreate(sent, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"));
            readable &= fieldOk;
            if (name == "team_id") teamId = sent;
            if (name == "user_id") userId = sent;
        }
        fields.Add(("text", text));
        fields.Add(("user_name", fates[^1] == Fate.Drop ? "" : garbage[^1]));
        fields.Add(("token", "gIkuvaNzQIHg97ATvDxqgjtO"));
        fields.Add(("trigger_id", "13345224609.738474920.8088930838d88f008e0"));
        var shuffled = order.Where(i => i < fields.Count).Select(i => fields[i]).Concat(fields.Skip(order.Length)).ToList();
        if (extraLongKey) shuffled.Add((new string('k', 3000), "v"));
        var body = string.Join('&', shuffled.Select(f => Encode(f.Name) + "=" + Encode(f.Value)));
        return new CommandForm(body, readable, AsSent(text), teamId, userId);
    }

    private static Gen<Fate> FateGen() => Gen.Frequency(
        (12, Gen.Constant(Fate.Keep)), (1, Gen.Constant(Fate.Drop)), (1, Gen.Constant(Fate.Empty)),
        (1, Gen.Constant(Fate.Twice)), (1, Gen.Constant(Fate.Garbage)), (1, Gen.Constant(Fate.Huge)));

    /// <summary>Anything a person might type, including control characters, lone surrogates and long lines.</summary>
    private static Gen<string> Text() => Gen.Frequency(
        (3, ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "")),
        (3, Gen.Elements("", "help", "status", "upgrade orders-enricher --jar x.jar --parallelism zero", "approve R-7Q2K", "approve \"R-7Q2K", "runs R-0000", "\u2014jar", "frobnicate\u0000")),
        (1, Gen.Choose(1_000, 40_000).Select(n => new string('a', n))));

    private static Gen<string> Garbage() => Gen.Frequency(
        (4, ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "")),
        (1, Gen.Elements("\u0000", "\uD800", " ", "\r\n", "%", "&", "=", "T0001&user_id=UEVIL", "http://", "\u202E", "\uFEFF")));

    private static Gen<string> MutatedBlockActions(string responseUrl) =>
        from count in Gen.Choose(0, 4)
        from mutations in Gen.ArrayOf(Mutation(), count)
        select mutations.Aggregate(BlockActions(responseUrl), (json, mutate) => mutate(json)).ToJsonString();

    /// <summary>One change at one place of a click: removed, null, a value of the wrong type, garbage, huge, or a tempting value.</summary>
    private static Gen<Func<JsonObject, JsonObject>> Mutation() =>
        from path in Gen.Elements(
            "type", "api_app_id", "team", "team.id", "user", "user.id", "user.username", "user.name", "user.team_id", "channel", "channel.id",
            "container", "container.channel_id", "response_url", "actions", "actions.0", "actions.0.action_id", "actions.0.value", "actions.1")
        from replacement in Gen.OneOf(
            Gen.Constant(Remove),
            Gen.Elements<Func<JsonNode?>>(() => null, () => 42, () => true, () => new JsonArray(), () => new JsonObject(), () => new JsonArray(1, "x"), () => JsonValue.Create(1.5e300)),
            Gen.Elements("", " ", "approve", "reject", "cancel", "refresh", "R-7Q2K", "r-7q2k", "R-0000", "view_submission", "block_actions", "ftp://x/", "http://h/", "\u0000", "\uD800")
                .Select(s => (Func<JsonNode?>)(() => s)),
            Garbage().Select(s => (Func<JsonNode?>)(() => s)),
            Gen.Constant<Func<JsonNode?>>(() => new string('x', 100_000)),
            Gen.Constant<Func<JsonNode?>>(() => new JsonObject { ["action_id"] = "approve", ["value"] = "R-9ZZZ" }))
        select (Func<JsonObject, JsonObject>)(json => Apply(json, path.Split('.'), replacement));

    /// <summary>Arbitrary JSON up to <paramref name="depth"/> levels.</summary>
    private static Gen<JsonNode?> RandomJson(int depth)
    {
        var leaf = Gen.OneOf(
            Gen.Constant<JsonNode?>(null),
            Gen.Elements(0, 1, 2).Select(k => k switch { 0 => (JsonNode?)JsonValue.Create(0), 1 => JsonValue.Create(true), _ => JsonValue.Create(-1.5) }),
            Garbage().Select(s => (JsonNode?)JsonValue.Create(s)));
        if (depth == 0) return leaf;
        var keys = Gen.Elements("type", "user", "team", "actions", "payload", "id", "action_id", "value", "response_url", "x");
        return Gen.OneOf(
            leaf,
            Gen.ListOf(RandomJson(depth - 1)).Select(items => (JsonNode?)new JsonArray([.. items])),
            Gen.ListOf(keys.Zip(RandomJson(depth - 1))).Select(pairs =>
            {
                var o = new JsonObject();
                foreach (var (k, v) in pairs) o[k] = v;
                return (JsonNode?)o;
            }));
    }

    private static JsonObject BlockActions(string responseUrl) => new()
    {
        ["type"] = "block_actions",
        ["team"] = new JsonObject { ["id"] = "T9TK3CUKW", ["domain"] = "example" },
        ["user"] = new JsonObject { ["id"] = "U0CA5", ["username"] = "ana", ["name"] = "ana", ["team_id"] = "T9TK3CUKW" },
        ["api_app_id"] = "AABA1ABCD",
        ["token"] = "9s8d9as89d8as9d8as989",
        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1768467600.000001", ["channel_id"] = "C0CA5", ["is_ephemeral"] = false },
        ["trigger_id"] = "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3",
        ["channel"] = new JsonObject { ["id"] = "C0CA5", ["name"] = "incidents" },
        ["response_url"] = responseUrl,
        ["actions"] = new JsonArray(new JsonObject
        {
            ["action_id"] = "approve",
            ["block_id"] = "=qXel",
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Approve", ["emoji"] = true },
            ["value"] = "R-7Q2K",
            ["style"] = "primary",
            ["type"] = "button",
            ["action_ts"] = "1548426417.840180",
        }),
    };
}
