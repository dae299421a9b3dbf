using System.Collections.Concurrent;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Slack.Rendering;
using FlinkOpsBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Slack;

/// <summary>
/// A run's card in Slack: the first update posts it (<c>chat.postMessage</c>) in the channel the command came from and
/// remembers its <c>ts</c> (<see cref="IConversationStore"/>); later updates replace it in place (<c>chat.update</c>).
/// The timeline events of one update go as one reply in the card's thread, at once.
/// <para>
/// Card edits are coalesced to at most one <c>chat.update</c> per <see cref="MinUpdateInterval"/> per message (Slack
/// rate-limits edits of one message): an update that comes sooner is held, a newer one replaces it (the latest card
/// wins), and the held card is sent when the interval has passed (a <see cref="TimeProvider"/> timer), so the last state
/// is always shown. An update sent at once throws as before; a held one that fails is logged (the next change re-renders
/// the card). Disposing the channel asynchronously (host shutdown) sends the held cards at once.
/// </para>
/// </summary>
internal sealed class SlackChannel(SlackWebApiClient slack, IConversationStore conversations, TimeProvider time, ILogger<SlackChannel> logger)
    : IChatChannel, IAsyncDisposable, IDisposable
{
    public const string PlatformName = "slack";

    /// <summary>The least time between two <c>chat.update</c> calls on one message: 1 second.</summary>
    public static readonly TimeSpan MinUpdateInterval = TimeSpan.FromSeconds(1);

    /// <summary>Idle cards remembered at most before the idle ones are dropped (a dropped card simply starts a new interval).</summary>
    private const int SweepAbove = 1_000;

    private static readonly IReadOnlyDictionary<string, string> NoProperties = new Dictionary<string, string>();

    private readonly ConcurrentDictionary<(string Channel, string Ts), CardEdits> _cards = new();

    public string Platform => PlatformName;

    /// <exception cref="SlackApiException">Slack refused a call, or kept failing.</exception>
    public async Task PublishAsync(RunUpdate update, CancellationToken cancellationToken)
    {
        var (run, card, newEvents) = update;
        var blocks = BlockKitRenderer.Render(card);
        var text = BlockKitRenderer.FallbackText(card);

        var location = await conversations.GetAsync(run.Id, PlatformName, cancellationToken);
        if (location is null)
        {
            var posted = await slack.PostMessageAsync(new PostMessageRequest(run.Origin.ConversationId, text, blocks), cancellationToken);
            location = new CardLocation(run.Id, PlatformName, posted.Channel, posted.Ts, NoProperties);
            await conversations.SaveAsync(location, cancellationToken);
        }
        else
        {
            await UpdateCardAsync(run.Id.Value, new UpdateMessageRequest(location.ConversationId, location.MessageId, text, blocks), cancellationToken);
        }

        if (newEvents.Count > 0)
        {
            var reply = new PostMessageRequest(location.ConversationId, BlockKitRenderer.ThreadReply(newEvents), ThreadTs: location.MessageId);
            await slack.PostMessageAsync(reply, cancellationToken);
        }
    }

    /// <summary>Sends every held card now, ignoring the interval: the last state must reach Slack before the host stops.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var card in _cards.Values) await FlushAsync(card);
    }

    /// <summary>Stops the timers of held cards without sending them (a synchronous dispose cannot wait for Slack).</summary>
    public void Dispose()
    {
        foreach (var card in _cards.Values)
        {
            lock (card)
            {
                card.Timer?.Dispose();
                card.Timer = null;
            }
        }
    }

    /// <summary>Sends the card now if the message's interval has passed and nothing is held, else holds it for the timer.</summary>
    private async Task UpdateCardAsync(string runId, UpdateMessageRequest request, CancellationToken cancellationToken)
    {
        if (_cards.Count > SweepAbove) SweepIdle();
        var card = _cards.GetOrAdd((request.Channel, request.Ts), _ => new CardEdits());
        long version;
        lock (card)
        {
            version = ++card.Version;
            var now = time.GetUtcNow();
            if (card.Timer is null && (card.LastSentAt is not { } last || now - last >= MinUpdateInterval))
            {
                card.LastSentAt = now;
            }
            else
            {
                card.Held = new HeldEdit(request, version, runId);
                card.Timer ??= time.CreateTimer(_ => _ = FlushAsync(card), null, card.LastSentAt!.Value + MinUpdateInterval - now, Timeout.InfiniteTimeSpan);
                return;
            }
        }
        await SendAsync(card, request, version, cancellationToken);
    }

    /// <summary>Sends the held card, if any; failures are logged.</summary>
    private async Task FlushAsync(CardEdits card)
    {
        HeldEdit? held;
        lock (card)
        {
            held = card.Held;
            card.Held = null;
            card.Timer?.Dispose();
            card.Timer = null;
            if (held is not null) card.LastSentAt = time.GetUtcNow();
        }
        if (held is null) return;
        try
        {
            await SendAsync(card, held.Request, held.Version, CancellationToken.None);
        }
        catch (Exception e)
        {
            SlackLog.CoalescedUpdateFailed(logger, e, held.RunId);
        }
    }

    /// <summary>One <c>chat.update</c> at a time per message, and never an older card after a newer one.</summary>
    private async Task SendAsync(CardEdits card, UpdateMessageRequest request, long version, CancellationToken cancellationToken)
    {
        await card.Gate.WaitAsync(cancellationToken);
        try
        {
            lock (card)
            {
                if (version <= card.SentVersion) return;
            }
            await slack.UpdateMessageAsync(request, cancellationToken);
            lock (card) card.SentVersion = version;
        }
        finally
        {
            card.Gate.Release();
        }
    }

    private void SweepIdle()
    {
        var now = time.GetUtcNow();
        foreach (var (key, card) in _cards)
        {
            lock (card)
            {
                if (card.Timer is null && card.Held is null && (card.LastSentAt is not { } last || now - last >= MinUpdateInterval))
                {
                    _cards.TryRemove(KeyValuePair.Create(key, card));
                }
            }
        }
    }

    /// <summary>A card edit waiting for its message's interval to pass.</summary>
    private sealed record HeldEdit(UpdateMessageRequest Request, long Version, string RunId);

    /// <summary>The edit state of one message; fields are guarded by locking the instance.</summary>
    private sealed class CardEdits
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public long Version { get; set; }

        public long SentVersion { get; set; }

        public DateTimeOffset? LastSentAt { get; set; }

        public HeldEdit? Held { get; set; }

        public ITimer? Timer { get; set; }
    }
}
