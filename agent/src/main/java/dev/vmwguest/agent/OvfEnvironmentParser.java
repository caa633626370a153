package dev.vmwguest.agent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.jspecify.annotations.Nullable;

/**
 * Parses an OVF environment with the JDK's XML parser, hardened: no DOCTYPE, no external entities
 * or schemas, no XInclude. As cloud-init does, the root must be {@code Environment} and only the
 * first {@code PropertySection} is read (guest-info.md 5.1).
 */
final class OvfEnvironmentParser {

    static final String OE = "http://schemas.dmtf.org/ovf/environment/1";
    static final String VE = "http://www.vmware.com/schema/ovfenv";

    private OvfEnvironmentParser() {
    }

    static OvfEnvironment parse(byte[] xml) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder builder = f.newDocumentBuilder();
            builder.setErrorHandler(null);
            doc = builder.parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new GuestConfigException("guestinfo.ovfEnv is not well-formed OVF environment XML: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!"Environment".equals(root.getLocalName())) {
            throw new GuestConfigException("guestinfo.ovfEnv: root element is " + root.getLocalName()
                    + ", not Environment");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        Element section = firstChild(root, "PropertySection");
        if (section != null) {
            for (Element p : children(section, "Property")) {
                properties.put(p.getAttributeNS(OE, "key"), p.getAttributeNS(OE, "value"));
            }
        }
        Element platform = firstChild(root, "PlatformSection");
        OvfEnvironment.Platform parsedPlatform = platform == null ? null : new OvfEnvironment.Platform(
                text(platform, "Kind"), text(platform, "Version"), text(platform, "Vendor"), text(platform, "Locale"));
        List<OvfEnvironment.Adapter> adapters = new ArrayList<>();
        Element ethernet = firstChild(root, "EthernetAdapterSection");
        if (ethernet != null) {
            for (Element a : children(ethernet, "Adapter")) {
                adapters.add(new OvfEnvironment.Adapter(a.getAttributeNS(VE, "mac"), a.getAttributeNS(VE, "network"),
                        a.getAttributeNS(VE, "unitNumber")));
            }
        }
        return new OvfEnvironment(root.getAttributeNS(OE, "id"), root.getAttributeNS(VE, "vCenterId"), properties,
                parsedPlatform, adapters);
    }

    private static @Nullable Element firstChild(Element parent, String localName) {
        List<Element> all = children(parent, localName);
        return all.isEmpty() ? null : all.get(0);
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> result = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                result.add(e);
            }
        }
        return result;
    }

    private static String text(Element parent, String localName) {
        Element e = firstChild(parent, localName);
        return e == null ? "" : e.getTextContent().strip();
    }
}
