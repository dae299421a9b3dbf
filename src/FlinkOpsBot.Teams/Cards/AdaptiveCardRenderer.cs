using System.Text;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Cards;
using static FlinkOpsBot.Teams.Cards.AdaptiveElements;

namespace FlinkOpsBot.Teams.Cards;

/// <summary>
/// Renders a <see cref="RunCard"/> as an Adaptive Card 1.5 for Teams. Pure; see <see cref="IAdaptiveCardRenderer"/>
/// for the contract.
/// </summary>
/// <remarks>
/// <para>Every card has the root key <c>msteams: {"width": "Full"}</c> (Teams-only; the strict 1.5 schema rejects it,
/// so tests strip it before validating).</para>
/// <para><b>Refresh.</b> The shared card refreshes automatically for the given users, so each sees their own view. A
/// viewer's card keeps a <c>refresh</c> with <c>userIds: []</c>: Teams then offers "Refresh card" in the card's menu but
/// never fires it by itself. The viewer card is already that viewer's fresh view, and <see cref="CardViewer"/> does not
/// carry the viewer's MRI, so an automatic refresh could only be aimed at everyone (<c>userIds</c> absent) — which would
/// re-invoke for a card only one person sees. Every state change reaches the viewer anyway: the bot PUTs the shared card,
/// which replaces the per-user views and refreshes again.</para>
/// <para><b>Size.</b> A card is rendered with the most generous <see cref="CardBudget"/> that keeps its JSON (measured
/// with the default encoder, which escapes non-ASCII as <c>\uXXXX</c>, so the wire is never larger) within
/// <see cref="CardBudget.MaxCardBytes"/>.</para>
/// </remarks>
internal sealed class AdaptiveCardRenderer : IAdaptiveCardRenderer
{
    /// <summary>The most users a <c>refresh</c> may name (Teams).</summary>
    public const int MaxRefreshUserIds = 60;

    /// <inheritdoc />
    public JsonObject RenderShared(RunCard card, IReadOnlyList<string>? refreshUserIds)
    {
        var userIds = refreshUserIds?.Distinct(StringComparer.Ordinal).Take(MaxRefreshUserIds).ToList();
        return Fit(budget => Card(card, new RunCardBody(card, budget, viewer: null), RefreshFor(card, userIds)));
    }

    /// <inheritdoc />
    public JsonObject RenderFor(RunCard card, CardViewer viewer) =>
        Fit(budget => Card(card, new RunCardBody(card, budget, viewer), RefreshFor(card, userIds: [])));

    /// <summary>The UTF-8 length of <paramref name="card"/> as JSON with the default (escaping) encoder.</summary>
    public static int SizeInBytes(JsonNode card) => Encoding.UTF8.GetByteCount(card.ToJsonString());

    private static JsonObject Fit(Func<CardBudget, JsonObject> render)
    {
        JsonObject? card = null;
        foreach (var budget in CardBudget.Levels)
        {
            card = render(budget);
            if (SizeInBytes(card) <= CardBudget.MaxCardBytes) break;
        }
        return card!;
    }

    private static JsonObject Card(RunCard card, RunCardBody body, JsonObject refresh) => new()
    {
        ["type"] = "AdaptiveCard",
        ["$schema"] = SchemaUri,
        ["version"] = CardVersion,
        ["fallbackText"] = CardText.EscapeMarkdown(CardText.Truncate($"{card.Title} — {card.StateLabel}", 300)),
        ["refresh"] = refresh,
        ["body"] = Items(body.Build()),
        ["msteams"] = new JsonObject { ["width"] = "Full" },
    };

    private static JsonObject RefreshFor(RunCard card, IEnumerable<string>? userIds) =>
        Refresh(Execute(CardVerbs.Refresh, CardVerbs.Data(card.RunId)), userIds);
}
