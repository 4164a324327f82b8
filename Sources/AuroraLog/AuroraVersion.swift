/// The engine version recorded in every manifest.
public enum AuroraVersion {
    public static let engine = "0.1.0"
}
