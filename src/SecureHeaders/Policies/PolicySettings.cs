using SecureHeaders.Configuration;
using SecureHeaders.Headers;

namespace SecureHeaders.Policies;

/// <summary>
/// The configuration settings of one policy: one per registered header (from its <see cref="HeaderDescription"/>)
/// plus the few that are not headers. The default policy binds them at <c>SecureHeaders</c>, a named policy at
/// <c>SecureHeaders:Policies:&lt;name&gt;</c>.
/// </summary>
internal static class PolicySettings
{
    private static readonly Lazy<SettingGroup<SecureHeadersPolicy>> s_group = new(Create);

    /// <summary>The settings, built once from <see cref="HeaderRegistry"/> on first use.</summary>
    public static SettingGroup<SecureHeadersPolicy> Group => s_group.Value;

    /// <summary>True for a header name that custom headers may not set, because a description validates it.</summary>
    public static bool IsGoverned(string name) =>
        HeaderRegistry.Find(name) is not null || string.Equals(name, CacheControlHeader.Name, StringComparison.OrdinalIgnoreCase);

    private static SettingGroup<SecureHeadersPolicy> Create()
    {
        var group = new SettingGroup<SecureHeadersPolicy>(static () => new SecureHeadersPolicy());
        foreach (var header in HeaderRegistry.All)
        {
            group.Add(new SlotSetting(header));
        }

        group.Bool("CacheControlNoStore", "Send Cache-Control: no-store, max-age=0 unless the application set Cache-Control itself.", static p => p.CacheControlNoStore, static (p, v) => p.CacheControlNoStore = v);
        group.Bool("SendViolationReports", "Send this policy's violation reports to the configured collector when it names no destination itself.", static p => p.SendViolationReports, static (p, v) => p.SendViolationReports = v);
        group.List("Embeds", "Origins whose frames the page embeds (video players, maps): added to frame-src and to the fullscreen, autoplay, encrypted-media and picture-in-picture allowlists, for those origins only.",
            static p => p.Embeds, static (p, v) => p.Embeds = v ?? [], nullClears: true);
        group.StringMap("CustomHeaders", "Other headers to send: name → value. Headers that have their own setting are refused here.", static p => p.CustomHeaders, "The header value, on one line in plain ASCII.");
        group.Find("CustomHeaders")!.Default = "none";
        return group;
    }

    /// <summary>Binds one header's setting onto its slot in a policy.</summary>
    private sealed class SlotSetting : Setting
    {
        private readonly HeaderDescription _header;

        public SlotSetting(HeaderDescription header)
            : base(header.Setting.Key, header.Setting.Kind, header.Setting.Summary)
        {
            _header = header;
            Default = header.Setting.Default;
            AllowedValues = header.Setting.AllowedValues;
            Shortcuts = header.Setting.Shortcuts;
        }

        public HeaderDescription Header => _header;

        public override IReadOnlyList<Setting> Children => _header.Setting.Children;

        internal override void Bind(ConfigNode node, object owner, BindContext context)
        {
            var policy = (SecureHeadersPolicy)owner;
            var slot = new HeaderSlot(policy[_header]);
            _header.Setting.Bind(node, slot, context);
            policy[_header] = slot.Value;
        }
    }
}
