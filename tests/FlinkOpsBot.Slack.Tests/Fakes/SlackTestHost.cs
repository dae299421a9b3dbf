using FlinkOpsBot.Testing.Slack;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Slack.Tests.Fakes;

/// <summary>
/// A small web app as the host composes it (AddSlack + MapSlack) on a TestServer, with a recording
/// <see cref="FakeCommandService"/>, a manual clock and a <see cref="FakeSlackServer"/> for response URLs and the Web API.
/// With <c>dedupe</c>, the fake sits behind Core's <see cref="DedupingCommandService"/> over an in-memory delivery log, as
/// the host composes it.
/// </summary>
internal sealed class SlackTestHost : IAsyncDisposable
{
    public const string FormContentType = "application/x-www-form-urlencoded";

    /// <summary>How long a test waits for an answer before failing (Slack itself gives up after 3 s), so a hang fails instead.</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;

    private SlackTestHost(WebApplication app, FakeSlackServer slack, ManualTimeProvider clock, FakeCommandService commands)
    {
        _app = app;
        Slack = slack;
        Clock = clock;
        Commands = commands;
        Client = app.GetTestClient();
    }

    public FakeSlackServer Slack { get; }

    public ManualTimeProvider Clock { get; }

    public FakeCommandService Commands { get; }

    public HttpClient Client { get; }

    public static async Task<SlackTestHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, bool dedupe = false)
    {
        var slack = await FakeSlackServer.StartAsync();
        var clock = new ManualTimeProvider();
        var commands = new FakeCommandService();
        var configuration = new Dictionary<string, string?>
        {
            [nameof(SlackOptions.SigningSecret)] = SlackSigner.DocsSecret,
            [nameof(SlackOptions.BotToken)] = "xoxb-test-token",
            [nameof(SlackOptions.ApiBaseUrl)] = slack.ApiBaseUrl.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(clock);
        if (dedupe)
        {
            builder.Services.AddSingleton<IDeliveryLog>(new InMemoryDeliveryLog(clock));
            builder.Services.AddSingleton<ICommandService>(sp => new DedupingCommandService(
                commands, sp.GetRequiredService<IDeliveryLog>(), clock, sp.GetRequiredService<ILogger<DedupingCommandService>>()));
        }
        else
        {
            builder.Services.AddSingleton<ICommandService>(commands);
        }
        builder.Services.AddSingleton<IConversationStore, InMemoryConversationStore>();
        builder.Services.AddSlack(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        var app = builder.Build();
        app.MapSlack();
        await app.StartAsync();
        return new SlackTestHost(app, slack, clock, commands);
    }

    /// <summary>Posts <paramref name="body"/> as Slack would: form content, signed now with the docs secret.</summary>
    public Task<HttpResponseMessage> PostSignedAsync(string path, string body, string contentType = FormContentType, IReadOnlyDictionary<string, string>? headers = null)
    {
        var timestamp = Clock.GetUtcNow().ToUnixTimeSeconds();
        return PostAsync(path, body, contentType, timestamp.ToString(CultureInfo.InvariantCulture), SlackSigner.Sign(SlackSigner.DocsSecret, timestamp, body), headers);
    }

    public async Task<HttpResponseMessage> PostAsync(string path, string body, string contentType, string? timestamp, string? signature, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (timestamp is not null) request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        if (signature is not null) request.Headers.Add("X-Slack-Signature", signature);
        return await Client.SendAsync(request).WaitAsync(AnswerTimeout);
    }

    public static string Form(params (string Name, string Value)[] fields) =>
        string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Name)}={Uri.EscapeDataString(f.Value)}"));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
        await Slack.DisposeAsync();
    }
}
