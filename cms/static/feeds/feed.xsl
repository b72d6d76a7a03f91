<?xml version="1.0" encoding="UTF-8"?>
<!-- Renders RSS 2.0 and Atom 1.0 feeds readably when opened in a browser.
     No inline styles or scripts: the page uses the site stylesheet (CSP).
     RSS texts are HTML-escaped (cms/feeds.py): "unescape" turns them back
     into the text readers show; it is printed as text, never as markup. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    exclude-result-prefixes="atom dc">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <html lang="id">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:call-template name="unescape"><xsl:with-param name="s" select="rss/channel/title"/></xsl:call-template><xsl:value-of select="atom:feed/atom:title"/> (feed)</title>
        <link rel="stylesheet" href="/static/warta.css"/>
        <link rel="stylesheet" href="/static/feeds/feed-page.css"/>
      </head>
      <body class="public feed-page">
        <main id="main" class="wrap">
          <p class="feed-note">
            Ini adalah <strong>feed</strong>: salin alamat halaman ini ke aplikasi pembaca feed
            (Feedly, Inoreader, Thunderbird, dll.) untuk mengikuti pembaruan.
            <a href="/feeds/">Semua feed dan langganan e-mail</a>.
          </p>
          <xsl:apply-templates select="rss/channel | atom:feed"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="channel">
    <h1><xsl:call-template name="unescape"><xsl:with-param name="s" select="title"/></xsl:call-template></h1>
    <p><xsl:call-template name="unescape"><xsl:with-param name="s" select="description"/></xsl:call-template></p>
    <p><a href="{link}">Kunjungi situs</a></p>
    <ol class="feed-items">
      <xsl:for-each select="item">
        <li>
          <h2><a href="{link}"><xsl:call-template name="unescape"><xsl:with-param name="s" select="title"/></xsl:call-template></a></h2>
          <p class="meta"><xsl:value-of select="pubDate"/>
            <xsl:if test="dc:creator"> · <xsl:call-template name="unescape"><xsl:with-param name="s" select="dc:creator"/></xsl:call-template></xsl:if></p>
          <p><xsl:call-template name="unescape"><xsl:with-param name="s" select="description"/></xsl:call-template></p>
          <xsl:if test="enclosure">
            <p><a href="{enclosure/@url}">Unduh lampiran (<xsl:value-of select="enclosure/@type"/>)</a></p>
          </xsl:if>
        </li>
      </xsl:for-each>
    </ol>
  </xsl:template>

  <xsl:template match="atom:feed">
    <h1><xsl:value-of select="atom:title"/></h1>
    <p><xsl:value-of select="atom:subtitle"/></p>
    <p><a href="{atom:link[@rel='alternate']/@href}">Kunjungi situs</a></p>
    <ol class="feed-items">
      <xsl:for-each select="atom:entry">
        <li>
          <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
          <p class="meta"><xsl:value-of select="atom:published"/>
            <xsl:if test="atom:author"> · <xsl:value-of select="atom:author/atom:name"/></xsl:if></p>
          <p><xsl:value-of select="atom:summary"/></p>
          <xsl:if test="atom:link[@rel='enclosure']">
            <p><a href="{atom:link[@rel='enclosure']/@href}">Unduh lampiran (<xsl:value-of select="atom:link[@rel='enclosure']/@type"/>)</a></p>
          </xsl:if>
        </li>
      </xsl:for-each>
    </ol>
  </xsl:template>

  <xsl:template name="unescape">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="contains($s, '&amp;')">
        <xsl:value-of select="substring-before($s, '&amp;')"/>
        <xsl:variable name="rest" select="substring-after($s, '&amp;')"/>
        <xsl:choose>
          <xsl:when test="starts-with($rest, 'amp;')">&amp;<xsl:call-template name="unescape"><xsl:with-param name="s" select="substring($rest, 5)"/></xsl:call-template></xsl:when>
          <xsl:when test="starts-with($rest, 'lt;')">&lt;<xsl:call-template name="unescape"><xsl:with-param name="s" select="substring($rest, 4)"/></xsl:call-template></xsl:when>
          <xsl:when test="starts-with($rest, 'gt;')">&gt;<xsl:call-template name="unescape"><xsl:with-param name="s" select="substring($rest, 4)"/></xsl:call-template></xsl:when>
          <xsl:otherwise>&amp;<xsl:call-template name="unescape"><xsl:with-param name="s" select="$rest"/></xsl:call-template></xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
