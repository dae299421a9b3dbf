namespace FlinkOpsBot.Teams.Cards;

/// <summary>
/// How much of a run a card may show: the longest line and the most items per list. The renderer starts with
/// <see cref="Levels"/>[0] and takes the next, tighter level until the card fits <see cref="MaxCardBytes"/>.
/// </summary>
/// <param name="MaxLineChars">The longest text of one line or fact, in UTF-16 characters, "…" included.</param>
/// <param name="MaxItems">The most lines per list (checks, steps, checklist, approvals, gotchas, human actions); the rest is "+N more".</param>
/// <param name="MaxTimelineLines">The most timeline lines (the newest are kept).</param>
internal sealed record CardBudget(int MaxLineChars, int MaxItems, int MaxTimelineLines)
{
    /// <summary>
    /// 28 KB (28,672 bytes) of UTF-8 JSON: the smallest card size limit Teams has documented (incoming webhooks,
    /// message-extension results; older bot docs said 40 KB, current ones about 100 KB).
    /// </summary>
    public const int MaxCardBytes = 28 * 1024;

    /// <summary>From generous to tight; the last one fits any card (about 50 texts of at most 30 characters).</summary>
    public static IReadOnlyList<CardBudget> Levels { get; } =
    [
        new(MaxLineChars: 600, MaxItems: 25, MaxTimelineLines: 10),
        new(MaxLineChars: 300, MaxItems: 15, MaxTimelineLines: 8),
        new(MaxLineChars: 150, MaxItems: 10, MaxTimelineLines: 5),
        new(MaxLineChars: 80, MaxItems: 6, MaxTimelineLines: 4),
        new(MaxLineChars: 30, MaxItems: 3, MaxTimelineLines: 3),
    ];
}
